// Abseil and project headers are missing; absl::MutexLock is still recognised as a thread-bound lock.
#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "rpc/channel.h"
#include "rpc/task.h"

class NodeRegistry {
 public:
  rpc::Task<absl::Status> Register(const Node& node) {
    absl::MutexLock lock(&mu_);
    nodes_.push_back(node);
    co_await channel_.Broadcast(node);  // expect: lock-across-suspend
    co_return absl::OkStatus();
  }

 private:
  absl::Mutex mu_;
  std::vector<Node> nodes_;
  rpc::Channel channel_;
};
