// Each coroutine lambda holds the libcoro mutex only across its own acquisition;
// the outer coroutine awaits when_all() without holding anything.
#include <coro/coro.hpp>
#include <vector>

class tally
{
public:
    auto count_all(std::vector<int> values) -> coro::task<int>
    {
        co_await m_tp->schedule();
        auto add = [this](int v) -> coro::task<void>
        {
            co_await m_tp->schedule();
            auto lk = co_await m_mutex.scoped_lock();
            m_total += v;
        };
        std::vector<coro::task<void>> tasks;
        for (int v : values)
        {
            tasks.emplace_back(add(v));
        }
        co_await coro::when_all(std::move(tasks));
        co_return m_total;
    }

private:
    std::shared_ptr<coro::thread_pool> m_tp;
    coro::mutex m_mutex;
    int m_total{0};
};
