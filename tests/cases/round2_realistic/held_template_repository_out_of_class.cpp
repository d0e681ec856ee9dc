// Out-of-class member coroutines of a class template: upsert() holds the writer()
// guard across the replication write; count_matching() releases its reader first.
#include <cstdio>
#include <string>

#include "repository.h"

namespace repo {

struct Customer {
  std::string name;
  int tier = 0;
};

template <typename T>
demo::Task<bool> Repository<T>::upsert(std::string key, T value) {
  if (key.empty()) co_return false;
  auto w = writer();
  auto [it, inserted] = rows_.insert_or_assign(key, std::move(value));
  ++version_;
  if (!inserted) {
    std::fprintf(stderr, "upsert: replaced %s\n", key.c_str());
  }
  const int acked = co_await demo::write_socket(static_cast<int>(version_));  // expect: lock-across-suspend
  co_return acked >= 0;
}

template <typename T>
demo::Task<int> Repository<T>::count_matching(bool (*pred)(const T&)) const {
  int n = 0;
  {
    std::shared_lock<std::shared_mutex> r(mu_);
    for (const auto& [k, v] : rows_) n += pred(v) ? 1 : 0;
  }
  co_await demo::write_socket(n);
  co_return n;
}

template class Repository<Customer>;

}  // namespace repo
