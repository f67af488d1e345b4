// Semantic versions (SemVer 2.0.0, https://semver.org): the version of a published
// package, "MAJOR.MINOR.PATCH[-PRERELEASE][+BUILD]".
//
// Parsing is strict, as the specification's grammar: three numbers without leading
// zeros and no prefix ("v1.2.0" and "1.2" are refused, with a message saying what to
// write instead). MAJOR, MINOR and PATCH must fit in 64 bits; larger ones are refused.
//
// Ordering is precedence (semver.org, item 11), and build metadata takes no part in
// it: 1.0.0+a and 1.0.0+b compare equal, so a catalogue that keeps one version per
// precedence treats the second as a duplicate of the first.
//
// Hand-written: Debian packages no C++ semantic-version library, and the grammar is
// small (one pass over the text, no regular expression).
#pragma once

#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mecapy::packages {

struct Semver {
  std::uint64_t major = 0;
  std::uint64_t minor = 0;
  std::uint64_t patch = 0;
  std::vector<std::string> prerelease;  // dot-separated identifiers after '-', in order
  std::vector<std::string> build;       // dot-separated identifiers after '+', in order

  // The version `text` spells exactly (the whole of it), or nullopt.
  static std::optional<Semver> parse(std::string_view text);

  // Why `text` is not a semantic version, saying what to write instead ("'1.2' is
  // not a semantic version: write MAJOR.MINOR.PATCH, e.g. 1.2.0"); empty if it is one.
  static std::string problem(std::string_view text);

  // The canonical text; parse(v.to_string()) gives v back.
  std::string to_string() const;

  // Precedence; build metadata ignored (see the header comment).
  friend std::strong_ordering operator<=>(const Semver& a, const Semver& b);
  friend bool operator==(const Semver& a, const Semver& b) { return (a <=> b) == std::strong_ordering::equal; }
};

}  // namespace mecapy::packages
