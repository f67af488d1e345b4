// A function's test cases: read from the file its manifest names, in either accepted
// format, with inputs brought to canonical form and validated exactly as a job's
// would be, ready for the runner's `testcases` mode; and the results read back.
//
// Formats (docs/manifest.md):
//   ours    [{name, inputs, expected: {port: value | {approx, rel_tol, abs_tol}}}]
//           (expected_exception: ClassName also accepted)
//   hosted  {function, test_cases: [{name, inputs, expected_outputs | expected_exception}]}
// Expected quantities may be written {value, unit}; they are converted to the
// output's declared unit. A case whose inputs are invalid is a failed case with the
// validation messages, not a deploy error: the author sees it with the others.
#pragma once

#include <boost/json/array.hpp>
#include <filesystem>
#include <string>
#include <vector>

#include "packages/manifest.hpp"

namespace mecapy::packages {

struct PreparedCases {
  boost::json::array runnable;  // entries for in/testcases.json
  boost::json::array invalid;   // results of cases that cannot run (bad inputs)
};

// Reads `function`'s test-case files under `root`. Problems with the file itself
// (missing, not YAML/JSON, wrong shape) are appended to `errors`.
PreparedCases prepare_test_cases(const FunctionSpec& function, const std::filesystem::path& root,
                                 const std::string& manifest_name, std::vector<ManifestProblem>& errors);

// The results of one function in the file's order: `runner_results` holds the
// runner's results for `runnable`, in the same order; `invalid` the cases that did
// not run. Each is {index, name, function, passed, failures, error, ...}.
boost::json::array results_of(const boost::json::array& runnable, const boost::json::array& runner_results,
                              const boost::json::array& invalid);

}  // namespace mecapy::packages
