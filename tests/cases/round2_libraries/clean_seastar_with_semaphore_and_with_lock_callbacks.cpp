// Callback-style seastar APIs: with_semaphore() and with_lock() take and return
// the permit/lock inside the awaited call itself; nothing is held afterwards.
#include <seastar/core/coroutine.hh>
#include <seastar/core/rwlock.hh>
#include <seastar/core/semaphore.hh>
#include <seastar/core/sleep.hh>
#include <chrono>

#include "io/segment.hh"

using namespace std::chrono_literals;

class commitlog_writer {
    seastar::semaphore _write_slots{4};
    seastar::rwlock _segment_lock;
    segment _current;
public:
    seastar::future<> append(buffer buf) {
        co_await seastar::with_semaphore(_write_slots, 1, [this, buf = std::move(buf)] () mutable {
            return _current.write(std::move(buf));
        });
        co_await seastar::with_lock(_segment_lock.for_read(), [this] {
            return _current.sync();
        });
        co_await seastar::sleep(1ms);
    }
};
