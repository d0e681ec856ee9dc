// redpanda's `mutex` (utils/mutex.h) is a coroutine-aware lock built on a
// semaphore; its units from get_units() are held across the log append.
#include <seastar/core/coroutine.hh>

#include "model/record_batch_reader.h"
#include "storage/log.h"
#include "utils/mutex.h"

namespace raft {

class consensus {
public:
    ss::future<result<replicate_result>> replicate(model::record_batch_reader rdr) {
        auto u = co_await _op_lock.get_units();
        if (!is_leader()) {
            co_return errc::not_leader;
        }
        auto res = co_await _log->append(std::move(rdr));  // expect: async-lock-across-suspend
        _last_appended = res.last_offset;
        co_return replicate_result{res.last_offset};
    }

private:
    bool is_leader() const;
    mutex _op_lock{"consensus::op_lock"};
    storage::log* _log;
    model::offset _last_appended;
};

} // namespace raft
