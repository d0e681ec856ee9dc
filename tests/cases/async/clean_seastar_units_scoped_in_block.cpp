// seastar style: the units are returned at the end of the block, before the I/O.
#include <seastar/core/semaphore.hh>
#include "coro.h"

seastar::semaphore admission{4};
int admitted = 0;

demo::Task<void> admit(int id) {
  {
    auto units = co_await seastar::get_units(admission, 1);
    ++admitted;
  }
  co_await demo::write_socket(id);
}
