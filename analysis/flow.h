// May-hold analysis: for every lock slot of a function, the suspension points
// at which that slot may be held on some path.
#pragma once

#include <vector>

#include "analysis/ir.h"

namespace lockspan {

struct Holds {
  // at[slot] = indices into FunctionIR::suspensions, in source order, where
  // the slot may be held (never the suspension that acquires it).
  std::vector<std::vector<int>> at;
};

Holds find_holds(const FunctionIR& fn);

}  // namespace lockspan
