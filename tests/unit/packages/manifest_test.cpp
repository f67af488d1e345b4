// mecapy.yml: what parses, and every class of error with its message and position.
#include "packages/manifest.hpp"

#include <gtest/gtest.h>

#include <string>

namespace mecapy::packages {
namespace {

constexpr const char* kGood = R"(version: "1"
package:
  name: bolted-joint
  version: 1.2.0-rc.1
  description: Bolted joints
  author: Jane
  license: MIT
  tags: [bolts, fasteners]
  visibility: public
  resources: {tier: nano}
runtime: {kind: python, version: "3.11", requirements: true}
functions:
  min_preload:
    handler: bolted_joint.preload:min_preload
    description: Minimum preload
    inputs:
      FA: {type: Force, unit: kN, minimum: 0, description: Axial load}
      mu: {type: Float, minimum: 0.05, maximum: 0.6, default: 0.15}
      grade: {type: "literal[8.8, 10.9]", default: 10.9}
      d: {type: Length, unit: mm, default: {value: 1, unit: cm}}
      section:
        type:
          d: {type: Length, unit: mm}
          t: Length
      mesh: {type: "File[STEP, stp]", required: false}
    outputs:
      F0: {type: Force, unit: N}
      report: {type: File, required: false}
    resources: {cpu: 1, memory_mb: 256, timeout: 20}
    testcases: [tests/a.yaml, tests/b.yaml]
    cache: false
  solve:
    entrypoint: [python3, solve.py]
    inputs:
      n: Integer
quality:
  validation_testcases: {on_deployment: true, fail_on_error: true}
norme: NF E25-030-1
)";

std::string messages(const ManifestReport& report) {
  std::string out;
  for (const auto& e : report.errors) out += e.to_string() + "\n";
  return out;
}

// The manifest with `line` (1-based) replaced by `replacement` lines.
std::string with_line(int line, const std::string& replacement) {
  std::string text = kGood, out;
  int n = 1;
  std::size_t start = 0;
  while (start < text.size()) {
    const auto end = text.find('\n', start);
    const std::string current = text.substr(start, end - start);
    out += (n == line ? replacement : current) + "\n";
    start = end + 1;
    ++n;
  }
  return out;
}

const ManifestProblem& only_error(const ManifestReport& report) {
  EXPECT_EQ(report.errors.size(), 1u) << messages(report);
  static const ManifestProblem none{};
  return report.errors.empty() ? none : report.errors.front();
}

TEST(Manifest, AFullManifestParses) {
  const auto report = parse_manifest(kGood);
  ASSERT_TRUE(report.errors.empty()) << messages(report);
  const Manifest& m = *report.manifest;
  EXPECT_EQ(m.name, "bolted-joint");
  EXPECT_EQ(m.version, "1.2.0-rc.1");
  EXPECT_EQ(m.visibility, Visibility::public_);
  EXPECT_EQ(m.tags, (std::vector<std::string>{"bolts", "fasteners"}));
  EXPECT_EQ(m.runtime_version, "3.11");
  EXPECT_TRUE(m.requirements);
  EXPECT_TRUE(m.tests_on_deployment);
  EXPECT_TRUE(m.tests_fail_on_error);
  ASSERT_EQ(m.functions.size(), 2u);
  const auto& f = m.functions[0];
  EXPECT_EQ(f.handler, "bolted_joint.preload:min_preload");
  ASSERT_EQ(f.inputs.size(), 6u);
  EXPECT_EQ(f.inputs[0].type.kind, TypeKind::quantity);
  EXPECT_EQ(f.inputs[0].type.unit, "kN");
  EXPECT_EQ(f.inputs[0].minimum, 0.0);
  EXPECT_EQ(f.inputs[1].default_value, boost::json::value(0.15));
  EXPECT_EQ(f.inputs[2].type.kind, TypeKind::literal);
  EXPECT_EQ(f.inputs[2].default_value, boost::json::value(10.9));
  // {value: 1, unit: cm} in a port declared in mm: stored converted.
  ASSERT_TRUE(f.inputs[3].default_value);
  EXPECT_DOUBLE_EQ(f.inputs[3].default_value->as_double(), 10.0);
  EXPECT_EQ(f.inputs[4].type.kind, TypeKind::structure);
  EXPECT_EQ(f.inputs[4].type.fields.at(0).type.front().unit, "mm");
  EXPECT_EQ(f.inputs[4].type.fields.at(1).type.front().unit, "m");
  EXPECT_EQ(f.inputs[5].type.extensions, (std::vector<std::string>{"step", "stp"}));
  EXPECT_FALSE(f.inputs[5].required);
  EXPECT_TRUE(f.outputs[0].required);
  EXPECT_FALSE(f.outputs[1].required);
  EXPECT_EQ(f.resources, (Resources{1, 256, 20}));
  EXPECT_EQ(f.testcases, (std::vector<std::string>{"tests/a.yaml", "tests/b.yaml"}));
  EXPECT_FALSE(f.cache);
  EXPECT_EQ(m.functions[1].entrypoint, (std::vector<std::string>{"python3", "solve.py"}));
  EXPECT_EQ(m.functions[1].resources, (Resources{1, 512, 60}));  // the package's tier
  ASSERT_EQ(report.warnings.size(), 1u);
  EXPECT_EQ(report.warnings[0].to_string(), "mecapy.yml:38:1: unknown top-level key 'norme' is ignored");
}

TEST(Manifest, UnknownKeysInsideSectionsAreErrorsWithDidYouMean) {
  const auto report = parse_manifest(with_line(5, "  descripton: Bolted joints"));
  EXPECT_EQ(only_error(report).to_string(),
            "mecapy.yml:5:3: unknown key 'descripton' in 'package'; did you mean 'description'?");
  const auto port = parse_manifest(with_line(17, "      FA: {type: Force, unti: kN}"));
  EXPECT_NE(messages(port).find("17:25: unknown key 'unti'"), std::string::npos) << messages(port);
  EXPECT_NE(messages(port).find("did you mean 'unit'?"), std::string::npos);
}

TEST(Manifest, VersionOtherThanOneIsRefused) {
  const auto report = parse_manifest(with_line(1, "version: \"2\""));
  EXPECT_EQ(only_error(report).to_string(),
            "mecapy.yml:1:10: manifest version '2' is not supported: write version: \"1\"");
}

TEST(Manifest, BadSemverSaysWhatToWrite) {
  const auto report = parse_manifest(with_line(4, "  version: 1.2"));
  const auto& e = only_error(report);
  EXPECT_EQ(e.at.line, 4);
  EXPECT_EQ(e.at.column, 12);
  EXPECT_NE(e.message.find("1.2.0"), std::string::npos) << e.message;
}

TEST(Manifest, HandlerFormatAndExactlyOneOfHandlerOrEntrypoint) {
  auto report = parse_manifest(with_line(14, "    handler: bolted_joint/preload.py"));
  EXPECT_NE(only_error(report).message.find("is not of the form module.path:function"), std::string::npos);
  EXPECT_EQ(only_error(report).at.line, 14);
  report = parse_manifest(with_line(14, "    entrypoint: [run]\n    handler: a:b"));
  EXPECT_NE(messages(report).find("gives both a handler and an entrypoint"), std::string::npos) << messages(report);
  report = parse_manifest(with_line(14, "    cache: true"));
  EXPECT_NE(messages(report).find("duplicate key 'cache'"), std::string::npos) << messages(report);
  EXPECT_NE(messages(report).find("needs a handler"), std::string::npos) << messages(report);
}

TEST(Manifest, UnknownTypeGetsDidYouMeanAtItsColumn) {
  const auto report = parse_manifest(with_line(17, "      FA: {type: Forse, unit: N}"));
  const auto& e = only_error(report);
  EXPECT_EQ(e.at.line, 17);
  EXPECT_EQ(e.at.column, 18);
  EXPECT_NE(e.message.find("did you mean 'Force'"), std::string::npos) << e.message;
  const auto nested = parse_manifest(with_line(17, "      FA: {type: \"list[Forse]\"}"));
  EXPECT_EQ(only_error(nested).at.column, 24) << messages(nested);
}

TEST(Manifest, UnitMustFitTheQuantity) {
  auto report = parse_manifest(with_line(17, "      FA: {type: Force, unit: mm}"));
  EXPECT_EQ(only_error(report).at.column, 31);
  EXPECT_NE(only_error(report).message.find("'mm'"), std::string::npos) << messages(report);
  report = parse_manifest(with_line(17, "      FA: {type: Force, unit: furlongs_per_blorp}"));
  EXPECT_NE(only_error(report).message.find("furlongs_per_blorp"), std::string::npos) << messages(report);
  report = parse_manifest(with_line(17, "      FA: {type: Float, unit: mm}"));
  EXPECT_EQ(report.errors.size(), 1u) << messages(report);
}

TEST(Manifest, TierAndExplicitResourcesConflict) {
  const auto report = parse_manifest(with_line(29, "    resources: {tier: small, cpu: 1}"));
  EXPECT_NE(only_error(report).message.find("gives both a tier and cpu/memory_mb"), std::string::npos);
  EXPECT_EQ(only_error(report).at.line, 29);
  const auto unknown = parse_manifest(with_line(29, "    resources: {tier: tiny}"));
  EXPECT_NE(only_error(unknown).message.find("unknown tier 'tiny'"), std::string::npos) << messages(unknown);
}

TEST(Manifest, ResourcesAboveTheServersCapAreRefused) {
  ManifestOptions options;
  options.resource_cap = find_tier("small")->resources;
  const auto report = parse_manifest(with_line(29, "    resources: {tier: large}"), options);
  EXPECT_NE(only_error(report).message.find("asks for 4 CPUs; this server allows at most 2"), std::string::npos)
      << messages(report);
  const auto memory = parse_manifest(with_line(29, "    resources: {memory_mb: 4096}"), options);
  EXPECT_NE(only_error(memory).message.find("4096 MiB"), std::string::npos) << messages(memory);
}

TEST(Manifest, DockerfileAndImageRuntimesAreRefusedWithTheReason) {
  for (const char* kind : {"dockerfile", "image"}) {
    const auto report = parse_manifest(with_line(11, std::string("runtime: {kind: ") + kind + "}"));
    EXPECT_NE(only_error(report).message.find("this server runs Python packages and 'entrypoint' commands only"),
              std::string::npos)
        << messages(report);
  }
}

TEST(Manifest, DefaultsMustFitTheirPort) {
  auto report = parse_manifest(with_line(18, "      mu: {type: Float, minimum: 0.05, maximum: 0.6, default: 0.9}"));
  EXPECT_NE(only_error(report).message.find("default"), std::string::npos) << messages(report);
  report = parse_manifest(with_line(19, "      grade: {type: \"literal[8.8, 10.9]\", default: 9.8}"));
  EXPECT_EQ(report.errors.size(), 1u) << messages(report);
  report = parse_manifest(with_line(20, "      d: {type: Length, unit: mm, default: {value: 1, unit: kg}}"));
  EXPECT_NE(only_error(report).message.find("kg"), std::string::npos) << messages(report);
}

TEST(Manifest, PortRules) {
  auto report = parse_manifest(with_line(27, "      F0: {type: Force, unit: N, required: false}"));
  EXPECT_NE(only_error(report).message.find("only File outputs may be optional"), std::string::npos);
  report = parse_manifest(with_line(27, "      F0: {type: Force, default: 1}"));
  EXPECT_NE(only_error(report).message.find("outputs take no default"), std::string::npos);
  report = parse_manifest(with_line(18, "      mu: {type: Float, minimum: 1, maximum: 0.5}"));
  EXPECT_NE(only_error(report).message.find("maximum 0.5 is below minimum 1"), std::string::npos);
  report = parse_manifest(with_line(18, "      mu: {type: String, minimum: 1}"));
  EXPECT_NE(only_error(report).message.find("apply to numbers only"), std::string::npos);
  report = parse_manifest(with_line(18, "      2mu: {type: Float}"));
  EXPECT_NE(only_error(report).message.find("must be a Python identifier"), std::string::npos);
  report = parse_manifest(with_line(18, "      mu: {description: no type}"));
  EXPECT_NE(only_error(report).message.find("has no type"), std::string::npos);
}

TEST(Manifest, PackageFieldRules) {
  auto report = parse_manifest(with_line(3, "  name: Bolted Joint"));
  EXPECT_NE(only_error(report).message.find("e.g. 'bolted-joint'"), std::string::npos) << messages(report);
  report = parse_manifest(with_line(9, "  visibility: secret"));
  EXPECT_NE(only_error(report).message.find("not one of: private"), std::string::npos);
  report = parse_manifest(with_line(7, "  license: MTI"));
  EXPECT_TRUE(report.errors.empty()) << messages(report);
  ASSERT_EQ(report.warnings.size(), 2u);
  EXPECT_EQ(report.warnings[1].at.line, 7);
  EXPECT_NE(report.warnings[1].message.find("did you mean 'MIT'"), std::string::npos) << report.warnings[1].message;
  report = parse_manifest(with_line(7, "  license: MIT OR Apache-2.0"));
  EXPECT_EQ(report.warnings.size(), 1u);
  report = parse_manifest(with_line(11, "runtime: {kind: python, version: \"2.7\"}"));
  EXPECT_NE(only_error(report).message.find("not a Python 3 version"), std::string::npos);
  report = parse_manifest(with_line(30, "    testcases: ../outside.yaml"));
  EXPECT_NE(only_error(report).message.find("must be relative to the package"), std::string::npos);
}

TEST(Manifest, EveryErrorIsReportedAtOnce) {
  std::string text = kGood;
  text = with_line(5, "  descripton: x");
  const auto report =
      parse_manifest(text.replace(text.find("version: 1.2.0-rc.1"), 19, "version: v1") + "functions2: {}\n");
  EXPECT_GE(report.errors.size(), 2u) << messages(report);
  EXPECT_FALSE(report.manifest.has_value());
  EXPECT_EQ(report.warnings.size(), 2u);
}

TEST(Manifest, YamlSyntaxErrorsHaveAPosition) {
  const auto report = parse_manifest("version: \"1\"\npackage: {name: [unclosed\n");
  const auto& e = only_error(report);
  EXPECT_NE(e.message.find("not valid YAML"), std::string::npos);
  EXPECT_GE(e.at.line, 2);
}

TEST(Manifest, MissingSections) {
  const auto report = parse_manifest("package: {name: a, version: 1.0.0}\n");
  EXPECT_NE(messages(report).find("needs 'version: \"1\"'"), std::string::npos) << messages(report);
  EXPECT_NE(messages(report).find("needs a 'functions:' section"), std::string::npos);
  EXPECT_EQ(parse_manifest("[1, 2]").errors.size(), 1u);
}

}  // namespace
}  // namespace mecapy::packages
