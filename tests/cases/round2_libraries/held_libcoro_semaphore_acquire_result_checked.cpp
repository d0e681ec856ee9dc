// libcoro coro::semaphore: the permit from acquire() is held across the send; the
// failed-acquire path returns early, and release() only runs after the send.
#include <coro/coro.hpp>

#include "mq/producer.hpp"

class throttled_producer
{
public:
    auto publish(mq::message msg) -> coro::task<bool>
    {
        auto result = co_await m_inflight.acquire();
        if (result != coro::semaphore_acquire_result::acquired)
        {
            co_return false;
        }
        co_await m_tp->schedule();  // expect: async-lock-across-suspend
        auto ok = co_await m_producer.send(std::move(msg));
        co_await m_inflight.release();
        co_return ok;
    }

private:
    coro::semaphore<16> m_inflight{16};
    std::shared_ptr<coro::thread_pool> m_tp;
    mq::producer m_producer;
};
