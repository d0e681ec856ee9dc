// asio chat room: the guard taken after each read is still alive at the write.
#include <asio/awaitable.hpp>
#include <asio/read_until.hpp>
#include <asio/use_awaitable.hpp>
#include <asio/write.hpp>
#include <deque>
#include <mutex>
#include <set>
#include <string>

using asio::ip::tcp;

class chat_session : public participant {
 public:
  asio::awaitable<void> reader() {
    try {
      for (std::string line;;) {
        std::size_t n = co_await asio::async_read_until(socket_, asio::dynamic_buffer(line, 1024), "\n",
                                                        asio::use_awaitable);
        std::lock_guard lk(room_.mu);
        room_.recent.push_back(line.substr(0, n));
        if (room_.recent.size() > 100) room_.recent.pop_front();
        co_await asio::async_write(socket_, asio::buffer(ack_), asio::use_awaitable);  // expect: lock-across-suspend
        line.erase(0, n);
      }
    } catch (std::exception&) {
      stop();
    }
  }

 private:
  tcp::socket socket_;
  room& room_;
  std::string ack_ = "ok\n";
};
