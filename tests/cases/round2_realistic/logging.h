// Project logging: the macro serializes output under a global mutex inside a
// do { } while (0) block, so the guard ends with the statement.
#pragma once
#include <cstdio>
#include <mutex>

namespace logx {
inline std::mutex g_log_mu;
inline int g_verbosity = 1;
}  // namespace logx

#define LOGX(level, ...)                                          \
  do {                                                            \
    if ((level) <= logx::g_verbosity) {                           \
      std::lock_guard<std::mutex> logx_guard_(logx::g_log_mu);    \
      std::fprintf(stderr, __VA_ARGS__);                          \
    }                                                             \
  } while (0)
