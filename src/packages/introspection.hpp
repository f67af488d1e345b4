// What the runner's introspection found in a handler's signature, merged into the
// function's declared ports. Manifest declarations win; a function without declared
// inputs gets them from its signature (type hints, typing.Annotated bounds and
// units, Literal, defaults, docstring). Declared inputs are checked against the
// signature, so a typo in mecapy.yml is found at deploy, not at the first job.
#pragma once

#include <boost/json/value.hpp>
#include <vector>

#include "packages/manifest.hpp"

namespace mecapy::packages {

// Merges the runner's description of `function`'s handler (one entry of
// introspection.json's "functions", with ok == true) into it. Problems are
// appended to `errors`, positioned at the declaration they are about.
void merge_signature(FunctionSpec& function, const boost::json::value& signature, const std::string& file_name,
                     std::vector<ManifestProblem>& errors);

}  // namespace mecapy::packages
