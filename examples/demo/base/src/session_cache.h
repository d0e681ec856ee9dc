// Sessions shared by every request handler.
#pragma once
#include <map>
#include <mutex>
#include <string>

class SessionCache {
 public:
  // Callers that need several steps under one lock take it here.
  std::unique_lock<std::mutex> lock_entries() { return std::unique_lock<std::mutex>(mu_); }

  int version(const std::string& id) {
    std::lock_guard<std::mutex> guard(mu_);
    return entries_[id];
  }

  std::map<std::string, int>& entries() { return entries_; }

 private:
  std::mutex mu_;
  std::map<std::string, int> entries_;
};
