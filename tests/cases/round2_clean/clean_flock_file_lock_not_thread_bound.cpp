// A RAII advisory file lock (flock) held across awaits. flock locks belong to the
// open file description, not to a thread, and it is none of the thread-bound
// lock families the rule covers, so resuming on another thread is harmless.
#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>
#include <string>
#include "coro.h"

class FileLock {
 public:
  explicit FileLock(const std::string& path) : fd_(::open(path.c_str(), O_RDWR | O_CREAT, 0644)) {
    if (fd_ >= 0) ::flock(fd_, LOCK_EX);
  }
  ~FileLock() {
    if (fd_ >= 0) {
      ::flock(fd_, LOCK_UN);
      ::close(fd_);
    }
  }
  FileLock(const FileLock&) = delete;
  FileLock& operator=(const FileLock&) = delete;

 private:
  int fd_;
};

demo::Task<void> rotate_logs() {
  FileLock lock("/var/run/app/rotate.lock");
  co_await demo::resume_on_pool();
  co_await demo::write_socket(0);
}
