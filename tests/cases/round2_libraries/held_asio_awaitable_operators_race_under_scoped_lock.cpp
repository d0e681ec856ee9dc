// awaitable operators: `co_await (a || b)` suspends until one finishes, with the
// scoped_lock still held.
#include <asio/experimental/awaitable_operators.hpp>
#include <asio/steady_timer.hpp>
#include <asio/use_awaitable.hpp>
#include <chrono>
#include <mutex>

using namespace asio::experimental::awaitable_operators;
using namespace std::chrono_literals;

class rpc_channel {
 public:
  asio::awaitable<bool> call_with_deadline(request req) {
    std::scoped_lock lk(call_mu_, stats_mu_);
    ++calls_;
    asio::steady_timer deadline(sock_.get_executor(), 2s);
    auto result = co_await (roundtrip(std::move(req)) || deadline.async_wait(asio::use_awaitable));  // expect: lock-across-suspend
    co_return result.index() == 0;
  }

 private:
  asio::awaitable<response> roundtrip(request req);
  std::mutex call_mu_, stats_mu_;
  long calls_ = 0;
  asio::ip::tcp::socket sock_;
};
