// The package manifest `mecapy.yml`, version "1" (docs/manifest.md), read with
// yaml-cpp into plain data, with every problem found at once.
//
// parse_manifest() never throws for a bad manifest: it returns every error and
// warning, each with the file, line and column it is about and what to write instead.
// A manifest is usable only when `errors` is empty. Unknown top-level keys (real
// manifests carry `tests:` or `norme:`) are warnings; unknown keys inside known
// sections are errors with a did-you-mean. Port types and units are checked here
// (packages/port.hpp); default values are checked later against the port's schema.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "packages/port.hpp"
#include "packages/resources.hpp"

namespace mecapy::packages {

// 1-based; line 0 means the whole file.
struct SourcePosition {
  int line = 0;
  int column = 0;
};

struct ManifestProblem {
  std::string file;
  SourcePosition at;
  std::string message;
  // "mecapy.yml:12:7: message", the form compilers and editors understand.
  std::string to_string() const;
};

enum class Visibility { private_, internal, public_ };
std::string_view to_string(Visibility visibility);
std::optional<Visibility> parse_visibility(std::string_view text);

struct FunctionSpec {
  std::string name;
  std::string handler;                  // "module.path:function", or empty with an entrypoint
  std::vector<std::string> entrypoint;  // argv run in the sandbox, or empty with a handler
  std::string description;
  bool inputs_declared = false;  // `inputs:` present (else the signature gives them)
  bool outputs_declared = false;
  std::vector<Port> inputs;
  std::vector<Port> outputs;
  // Where each port was declared ("inputs.FA", "outputs.F0_min"), and the function.
  std::map<std::string, SourcePosition> positions;
  SourcePosition at;
  ResourceRequest resources_requested;
  Resources resources;                 // resolved: tiers, package then function
  std::vector<std::string> testcases;  // test-case files inside the package
  SourcePosition testcases_at;
  bool cache = true;
};

struct Manifest {
  std::string name;
  std::string version;  // semver text, as written
  std::string description;
  std::string author;
  std::string license;
  std::vector<std::string> tags;
  Visibility visibility = Visibility::private_;
  ResourceRequest resources;
  std::string runtime_kind = "python";
  std::string runtime_version;  // "3.x", or empty: the server's default interpreter
  bool requirements = false;
  std::vector<FunctionSpec> functions;  // in manifest order
  bool tests_on_deployment = false;
  bool tests_fail_on_error = false;
};

struct ManifestOptions {
  std::string file_name = "mecapy.yml";
  // The most a function may ask for (the server's configured cap).
  Resources resource_cap = {4, 8192, 1800};
};

struct ManifestReport {
  std::optional<Manifest> manifest;  // set when `errors` is empty
  std::vector<ManifestProblem> errors;
  std::vector<ManifestProblem> warnings;
};

ManifestReport parse_manifest(std::string_view text, const ManifestOptions& options = {});

}  // namespace mecapy::packages
