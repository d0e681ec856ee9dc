// Hopping onto a strand serializes handlers without any lock; the short guard
// lives in a block that closes before the hop.
#include <asio.hpp>
#include <asio/experimental/as_tuple.hpp>
#include <mutex>

class metrics_pusher {
 public:
  asio::awaitable<void> push_once() {
    std::string payload;
    {
      std::lock_guard<std::mutex> g(mu_);
      payload = render(counters_);
    }
    co_await asio::post(strand_, asio::use_awaitable);
    auto [ec, n] = co_await asio::async_write(sock_, asio::buffer(payload),
                                              asio::experimental::as_tuple(asio::use_awaitable));
    if (ec) {
      co_await asio::dispatch(asio::bind_executor(strand_, asio::use_awaitable));
    }
  }

 private:
  asio::strand<asio::any_io_executor> strand_;
  asio::ip::tcp::socket sock_;
  std::mutex mu_;
  counter_map counters_;
};
