// The cost of what the server does to one execution request before it queues it:
// parse the JSON body (exact numbers), bring the inputs to canonical form (UDUNITS-2
// conversions of {value, unit} quantities, defaults) and validate them against the
// function's JSON Schema (valijson). The function is bolted-joint's
// tightening_torque (8 inputs: 5 quantities, 3 floats), read from the example's
// manifest as the server reads it.
//
//   request_cost MANIFEST ITERATIONS ROUNDS
// Prints one line per case: name, median and p99 of the per-request time in
// microseconds over the rounds (each round times ITERATIONS requests in a row).
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <functional>
#include <sstream>
#include <string>
#include <vector>

#include "core/json.hpp"
#include "packages/manifest.hpp"
#include "packages/schema_validator.hpp"

using namespace mecapy;
using namespace mecapy::packages;

namespace {

// The request a form or the SDK sends: quantities in the units the user typed.
constexpr const char* kWithUnits =
    R"({"d": {"value": 1, "unit": "cm"}, "p": {"value": 1.5, "unit": "mm"}, "dw": {"value": 0.016, "unit": "m"},
        "dh": {"value": 11, "unit": "mm"}, "F0_max": {"value": 25.2, "unit": "kN"}, "alpha_A": 1.6,
        "mu_th": 0.14, "mu_head": 0.12})";
// The same in the declared units: nothing to convert.
constexpr const char* kPlain =
    R"({"d": 10, "p": 1.5, "dw": 16, "dh": 11, "F0_max": 25200, "alpha_A": 1.6, "mu_th": 0.14, "mu_head": 0.12})";

struct Stats {
  double median_us;
  double p99_us;
};

template <class Work>
Stats measure(int iterations, int rounds, Work work) {
  std::vector<double> per_request;
  for (int round = 0; round < rounds; ++round) {
    const auto start = std::chrono::steady_clock::now();
    for (int i = 0; i < iterations; ++i) work();
    const std::chrono::duration<double, std::micro> elapsed = std::chrono::steady_clock::now() - start;
    per_request.push_back(elapsed.count() / iterations);
  }
  std::sort(per_request.begin(), per_request.end());
  const auto p99 =
      per_request[std::min(per_request.size() - 1, static_cast<std::size_t>(0.99 * (per_request.size() - 1) + 0.5))];
  return {per_request[per_request.size() / 2], p99};
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 4) {
    std::fprintf(stderr, "usage: request_cost MANIFEST ITERATIONS ROUNDS\n");
    return 2;
  }
  std::ifstream in(argv[1]);
  std::stringstream text;
  text << in.rdbuf();
  const auto report = parse_manifest(text.str());
  if (!report.manifest) {
    std::fprintf(stderr, "request_cost: %s\n", report.errors.front().to_string().c_str());
    return 1;
  }
  const FunctionSpec* function = nullptr;
  for (const auto& f : report.manifest->functions) {
    if (f.name == "tightening_torque") function = &f;
  }
  if (!function) return 1;
  const int iterations = std::stoi(argv[2]);
  const int rounds = std::stoi(argv[3]);
  const JsonSchema schema(ports_schema(function->inputs));

  std::size_t sink = 0;
  auto full = [&](const char* body) {
    return [&, body] {
      const auto request = parse_json(body);
      std::vector<ValueProblem> problems;
      const auto inputs = canonical_inputs(function->inputs, request.as_object(), problems);
      const auto violations = schema.validate(inputs);
      sink += problems.size() + violations.size() + inputs.size();
    };
  };
  const auto parsed_units = parse_json(kWithUnits).as_object();
  const auto parsed_plain = parse_json(kPlain).as_object();
  std::vector<ValueProblem> problems;
  const auto canonical = canonical_inputs(function->inputs, parsed_units, problems);
  if (!problems.empty() || !schema.validate(canonical).empty()) {
    std::fprintf(stderr, "request_cost: the sample request is not valid\n");
    return 1;
  }
  const struct {
    const char* name;
    std::function<void()> work;
  } cases[] = {
      {"parse+convert+validate, 5 quantities in other units", full(kWithUnits)},
      {"parse+convert+validate, plain numbers", full(kPlain)},
      {"convert only (5 {value, unit})",
       [&] {
         std::vector<ValueProblem> p;
         sink += canonical_inputs(function->inputs, parsed_units, p).size();
       }},
      {"convert only (plain numbers)",
       [&] {
         std::vector<ValueProblem> p;
         sink += canonical_inputs(function->inputs, parsed_plain, p).size();
       }},
      {"validate only", [&] { sink += schema.validate(canonical).size(); }},
  };
  for (const auto& c : cases) {
    const auto stats = measure(iterations, rounds, c.work);
    std::printf("%s\t%.3f\t%.3f\n", c.name, stats.median_us, stats.p99_us);
  }
  return sink == 0 ? 1 : 0;
}
