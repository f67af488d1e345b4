// What a caller's inputs become before a function version runs: converted to the
// declared units, defaults filled, and checked against the version's input schema —
// every problem at once, each at the JSON pointer of its input. The execute route
// of the jobs does exactly this before queueing; POST .../validate exposes it.
#pragma once

#include <boost/json/object.hpp>
#include <vector>

#include "packages/package_catalog.hpp"
#include "packages/port.hpp"

namespace mecapy::packages {

struct CheckedInputs {
  boost::json::object inputs;          // canonical: what the function receives
  std::vector<ValueProblem> problems;  // empty when the inputs may run
};

// Throws Error(corrupted) when the stored spec is unreadable.
CheckedInputs check_inputs(const FunctionVersionRecord& function, const boost::json::object& given);

}  // namespace mecapy::packages
