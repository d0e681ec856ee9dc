// The plain function holds a mutex while it blocks in sync_wait(); it is not a
// coroutine and never suspends. The coroutine it runs holds no lock.
#include <cppcoro/sync_wait.hpp>
#include <cppcoro/task.hpp>
#include <mutex>
#include <string>

#include "settings/remote_store.h"

namespace settings {

std::mutex g_reload_mutex;
Snapshot g_current;

cppcoro::task<Snapshot> fetch_snapshot(RemoteStore& store)
{
    auto raw = co_await store.read("settings/v2");
    co_return Snapshot::parse(raw);
}

void reload_blocking(RemoteStore& store)
{
    std::lock_guard<std::mutex> guard{g_reload_mutex};
    g_current = cppcoro::sync_wait(fetch_snapshot(store));
}

} // namespace settings
