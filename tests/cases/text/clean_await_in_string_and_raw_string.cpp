// co_await / co_yield appear only inside string, raw-string and character literals while the guard is alive.
#include <cstdio>
#include <mutex>
#include "coro.h"

std::mutex help_mu;

demo::Task<void> describe() {
  co_await demo::yield_now();
  std::lock_guard<std::mutex> g(help_mu);
  char quote = '"';
  const char* hint = "use co_await demo::read_socket() here";
  const char* doc = R"doc(
    Example:
      co_await client.send(x);  // "quotes" and )" inside
      co_yield value;
  )doc";
  const char* tricky = R"(co_await )" "co_yield";
  std::printf("%c%s%s%s\n", quote, hint, doc, tricky);
}
