// Lowers the function bodies of a parsed C++ file into the language-neutral
// IR: lock slots, the operations on them in evaluation order, suspension
// points and structured control flow. Lambdas become functions of their own.
#pragma once

#include <string>
#include <vector>

#include "analysis/cpp/parser.h"
#include "analysis/cpp/symbols.h"
#include "analysis/ir.h"

namespace lockspan::cpp {

// Functions of `model` that contain a suspension keyword or take a lock.
// `problems` receives recoverable oddities (depth limits and the like).
std::vector<FunctionIR> lower_file(const FileModel& model, const SymbolIndex& index,
                                   std::vector<std::string>& problems);

}  // namespace lockspan::cpp
