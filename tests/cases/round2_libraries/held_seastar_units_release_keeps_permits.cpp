// semaphore_units::release() only forgets the units without returning them: the
// permit stays consumed until the manual signal() after the I/O.
#include <seastar/core/coroutine.hh>
#include <seastar/core/semaphore.hh>

#include "rpc/connection.hh"

class stream_sink {
    seastar::semaphore _credits{16};
    rpc::connection& _conn;
public:
    seastar::future<> send(rpc::frame f) {
        auto units = co_await seastar::get_units(_credits, 1);
        size_t taken = units.release();
        co_await _conn.send(std::move(f));  // expect: async-lock-across-suspend
        _credits.signal(taken);
    }
};
