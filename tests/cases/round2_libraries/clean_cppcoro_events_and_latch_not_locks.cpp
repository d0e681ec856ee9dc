// Events, latches and sequence barriers suspend waiters but are not locks.
#include <cppcoro/async_latch.hpp>
#include <cppcoro/async_manual_reset_event.hpp>
#include <cppcoro/single_consumer_event.hpp>
#include <cppcoro/task.hpp>

class Bootstrapper
{
public:
    cppcoro::task<> wait_until_serving()
    {
        co_await m_configLoaded;
        co_await m_peersConnected;
        m_started.set();
        co_await m_shutdownRequested;
    }

    void on_config() { m_configLoaded.set(); }
    void on_peer() { m_peersConnected.count_down(); }
    void request_shutdown() { m_shutdownRequested.set(); }

private:
    cppcoro::async_manual_reset_event m_configLoaded;
    cppcoro::async_latch m_peersConnected{3};
    cppcoro::async_manual_reset_event m_started;
    cppcoro::single_consumer_event m_shutdownRequested;
};
