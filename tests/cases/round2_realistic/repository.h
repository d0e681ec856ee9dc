// A generic repository template; its upsert coroutine is defined out of class in
// a .cpp file and explicitly instantiated there.
#pragma once
#include <map>
#include <shared_mutex>
#include <string>

#include "coro.h"

namespace repo {

template <typename T>
class Repository {
 public:
  demo::Task<bool> upsert(std::string key, T value);
  demo::Task<int> count_matching(bool (*pred)(const T&)) const;

 protected:
  std::unique_lock<std::shared_mutex> writer() { return std::unique_lock<std::shared_mutex>(mu_); }

 private:
  mutable std::shared_mutex mu_;
  std::map<std::string, T> rows_;
  long version_ = 0;
};

}  // namespace repo
