// Service registry: [[nodiscard]] guard helpers and a RAII latch whose
// constructor locks through a private member function.
#pragma once
#include <map>
#include <mutex>
#include <string>

namespace discovery {

struct Endpoint {
  std::string host;
  int port = 0;
};

inline std::mutex g_registry_mu;
inline std::map<std::string, Endpoint> g_registry;

// Callers must keep the returned lock while they touch g_registry.
[[nodiscard]] inline std::unique_lock<std::mutex> lock_registry() {
  return std::unique_lock<std::mutex>(g_registry_mu);
}

// Locks the given mutex for the latch's lifetime.
class RegistryLatch {
 public:
  explicit RegistryLatch(std::mutex& m) : m_(m) { acquire(); }
  ~RegistryLatch() { release(); }
  RegistryLatch(const RegistryLatch&) = delete;
  RegistryLatch& operator=(const RegistryLatch&) = delete;

 private:
  void acquire() { m_.lock(); }
  void release() { m_.unlock(); }
  std::mutex& m_;
};

}  // namespace discovery
