// seastar::rwlock: hold_write_lock() yields an rwlock::holder that stays alive
// across the flush of the memtable.
#include <seastar/core/coroutine.hh>
#include <seastar/core/rwlock.hh>
#include <seastar/core/sleep.hh>

#include "db/memtable.hh"

namespace db {

class table {
    seastar::rwlock _flush_lock;
    lw_shared_ptr<memtable> _active;
    sstable_writer _writer;
public:
    seastar::future<> seal_active_memtable() {
        auto holder = co_await _flush_lock.hold_write_lock();
        auto old = std::exchange(_active, make_lw_shared<memtable>());
        if (old->empty()) {
            co_return;
        }
        co_await _writer.write(std::move(old));  // expect: async-lock-across-suspend
    }
};

} // namespace db
