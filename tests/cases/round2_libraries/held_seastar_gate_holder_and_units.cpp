// A gate holder (not a lock) is alive at every await; only the semaphore units
// taken afterwards are a permit held across the request.
#include <seastar/core/coroutine.hh>
#include <seastar/core/gate.hh>
#include <seastar/core/semaphore.hh>

#include "http/client.hh"

class fetcher {
    seastar::gate _gate;
    seastar::semaphore _parallelism{8};
    http::client _client;
public:
    seastar::future<sstring> fetch(sstring url) {
        auto gh = _gate.hold();
        auto units = co_await seastar::get_units(_parallelism, 1);
        auto reply = co_await _client.get(url);  // expect: async-lock-across-suspend
        co_return reply.body();
    }
};
