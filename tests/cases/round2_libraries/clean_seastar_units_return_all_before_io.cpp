// semaphore_units::return_all() gives every unit back before the I/O starts.
#include <seastar/core/coroutine.hh>
#include <seastar/core/semaphore.hh>

#include "cql/query_processor.hh"

class admission_controller {
    seastar::named_semaphore _admission{100, seastar::named_semaphore_exception_factory{"admission"}};
    query_processor& _qp;
public:
    seastar::future<result> admit_and_run(statement stmt) {
        auto units = co_await seastar::get_units(_admission, 1);
        auto prepared = _qp.prepare(stmt);
        units.return_all();
        co_return co_await _qp.execute(std::move(prepared));
    }
};
