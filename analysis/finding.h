// What the analysis reports: findings and the status of every input file.
#pragma once

#include <string>
#include <vector>

#include "analysis/ir.h"

namespace lockspan {

enum class Severity { Error, Warning, Notice };
const char* to_string(Severity s);

struct Finding {
  std::string rule;
  Severity severity = Severity::Error;
  std::string path;
  Loc loc;                               // the first suspension at which the lock may be held
  std::string function;
  std::string message;                   // one sentence: what is held where
  std::string why;                       // why that is dangerous for this kind of lock
  std::string fix;                       // the fix that fits how the lock was taken
  LockSlot lock;
  std::vector<Suspension> suspensions;   // every suspension it spans, in source order
  std::string fingerprint;               // stable when unrelated lines move
};

enum class FileStatus { Analyzed, Skipped, Degraded, Error };
const char* to_string(FileStatus s);

struct FileResult {
  std::string path;
  FileStatus status = FileStatus::Analyzed;
  std::string detail;
};

}  // namespace lockspan
