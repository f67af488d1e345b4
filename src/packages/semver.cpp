// Semver: one reader for both parse() and problem(), so that what is refused and why
// cannot drift apart. The grammar is the Backus-Naur form of semver.org:
//   version      core ["-" pre-release] ["+" build]
//   core         numeric "." numeric "." numeric
//   numeric      "0" | non-zero digit, then digits
//   pre-release  identifiers separated by ".": numeric, or [0-9A-Za-z-]+ with a non-digit
//   build        identifiers separated by ".": [0-9A-Za-z-]+ (leading zeros allowed)
#include "packages/semver.hpp"

#include <charconv>
#include <utility>
#include <variant>

namespace mecapy::packages {
namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }

bool is_identifier_char(char c) { return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-'; }

bool all_digits(std::string_view s) {
  for (const char c : s)
    if (!is_digit(c)) return false;
  return !s.empty();
}

std::string without_leading_zeros(std::string_view digits) {
  const std::size_t first = digits.find_first_not_of('0');
  return first == std::string_view::npos ? "0" : std::string(digits.substr(first));
}

// The user's text in a message: quoted, and cut if long (a message is not an echo).
std::string quoted(std::string_view text) {
  constexpr std::size_t kShown = 64;
  return "'" + std::string(text.substr(0, kShown)) + (text.size() > kShown ? "...'" : "'");
}

// `whole` with `part` (a view into it) written without leading zeros.
std::string with_zeros_dropped(std::string_view whole, std::string_view part) {
  const auto at = static_cast<std::size_t>(part.data() - whole.data());
  return std::string(whole.substr(0, at)) + without_leading_zeros(part) + std::string(whole.substr(at + part.size()));
}

std::string not_a_version(std::string_view text, const std::string& example) {
  return quoted(text) + " is not a semantic version: write MAJOR.MINOR.PATCH, e.g. " + example;
}

// "1.2" -> "1.2.0", "" -> "1.0.0": the closest version to suggest for missing parts.
std::string completed(std::string_view text) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  for (std::size_t dot = text.find('.'); start <= text.size(); dot = text.find('.', start)) {
    if (dot == std::string_view::npos) dot = text.size();
    parts.emplace_back(text.substr(start, dot - start));
    start = dot + 1;
  }
  std::string out;
  for (std::size_t i = 0; i < 3; ++i) {
    const bool usable = i < parts.size() && all_digits(parts[i]);
    out += (i ? "." : "") + (usable ? parts[i] : std::string(i == 0 ? "1" : "0"));
  }
  return out;
}

using Reading = std::variant<Semver, std::string>;

// Splits `text` (after '-' or '+') into identifiers, checking each; `what` is
// "pre-release" or "build".
std::optional<std::string> read_identifiers(std::string_view whole, std::string_view text, const char* what,
                                            bool numeric_rules, std::vector<std::string>& out) {
  if (text.empty())
    return quoted(whole) + ": the " + what + " after '" + (numeric_rules ? "-" : "+") + "' is empty; remove the '" +
           (numeric_rules ? "-" : "+") + "' or write an identifier, e.g. " +
           (numeric_rules ? "1.0.0-beta.1" : "1.0.0+build.5");
  std::size_t start = 0;
  while (true) {
    std::size_t dot = text.find('.', start);
    if (dot == std::string_view::npos) dot = text.size();
    const std::string_view id = text.substr(start, dot - start);
    if (id.empty())
      return quoted(whole) + ": an empty " + what + " identifier; identifiers are separated by single dots and " +
             "none is empty, e.g. alpha.1";
    for (const char c : id) {
      if (!is_identifier_char(c))
        return quoted(whole) + ": '" + std::string(1, c) + "' is not allowed in a " + what +
               " identifier; use letters, digits and '-'";
    }
    if (numeric_rules && all_digits(id) && id.size() > 1 && id[0] == '0')
      return quoted(whole) + ": the " + what + " identifier '" + std::string(id) + "' has a leading zero; write " +
             with_zeros_dropped(whole, id);
    out.emplace_back(id);
    if (dot == text.size()) return std::nullopt;
    start = dot + 1;
  }
}

Reading read(std::string_view text) {
  if (text.empty()) return not_a_version(text, "1.0.0");
  if (text.front() == ' ' || text.back() == ' ' || text.front() == '\t' || text.back() == '\t')
    return quoted(text) + ": remove the spaces around the version";
  if ((text[0] == 'v' || text[0] == 'V') && text.size() > 1 && is_digit(text[1])) {
    return quoted(text) + ": drop the '" + std::string(1, text[0]) + "' (write " + std::string(text.substr(1)) + ")";
  }

  const std::size_t plus = text.find('+');
  const std::size_t dash = text.substr(0, plus).find('-');
  const std::string_view core = text.substr(0, std::min(dash, plus));

  Semver v;
  static constexpr const char* kNames[] = {"major", "minor", "patch"};
  std::uint64_t* const fields[] = {&v.major, &v.minor, &v.patch};
  std::size_t start = 0;
  for (std::size_t i = 0; i < 3; ++i) {
    std::size_t dot = core.find('.', start);
    if (i == 2 && dot != std::string_view::npos)
      return quoted(text) + " has more than three numbers: write MAJOR.MINOR.PATCH (e.g. " + completed(core) +
             "), with anything more after '-' (pre-release, e.g. 1.2.3-rc.1) or '+' (build, e.g. 1.2.3+build.4)";
    if (dot == std::string_view::npos) {
      if (i < 2) return not_a_version(text, completed(core));
      dot = core.size();
    }
    const std::string_view number = core.substr(start, dot - start);
    const std::string name = kNames[i];
    if (number.empty())
      return quoted(text) + ": the " + name + " version is empty; write a number, e.g. " + completed(core);
    if (!all_digits(number))
      return quoted(text) + ": the " + name + " version '" + std::string(number) + "' must be a number";
    if (number.size() > 1 && number[0] == '0')
      return quoted(text) + ": the " + name + " version has a leading zero; write " + with_zeros_dropped(text, number);
    const auto [end, ec] = std::from_chars(number.data(), number.data() + number.size(), *fields[i]);
    if (ec != std::errc() || end != number.data() + number.size())
      return quoted(text) + ": the " + name + " version is too large (at most 18446744073709551615)";
    start = dot + 1;
  }

  if (dash != std::string_view::npos) {
    const std::string_view pre =
        text.substr(dash + 1, plus == std::string_view::npos ? std::string_view::npos : plus - dash - 1);
    if (auto problem = read_identifiers(text, pre, "pre-release", true, v.prerelease)) return *problem;
  }
  if (plus != std::string_view::npos) {
    if (auto problem = read_identifiers(text, text.substr(plus + 1), "build", false, v.build)) return *problem;
  }
  return v;
}

// Pre-release identifiers, by semver.org item 11.4: numeric ones numerically (no
// leading zeros, so by length, then digit by digit: no size limit), before
// alphanumeric ones, which compare in ASCII order.
std::strong_ordering compare_identifier(const std::string& a, const std::string& b) {
  const bool a_numeric = all_digits(a);
  const bool b_numeric = all_digits(b);
  if (a_numeric && b_numeric) {
    if (a.size() != b.size()) return a.size() <=> b.size();
    return a.compare(b) <=> 0;
  }
  if (a_numeric != b_numeric) return a_numeric ? std::strong_ordering::less : std::strong_ordering::greater;
  return a.compare(b) <=> 0;
}

}  // namespace

std::optional<Semver> Semver::parse(std::string_view text) {
  Reading r = read(text);
  if (auto* v = std::get_if<Semver>(&r)) return std::move(*v);
  return std::nullopt;
}

std::string Semver::problem(std::string_view text) {
  Reading r = read(text);
  if (auto* message = std::get_if<std::string>(&r)) return std::move(*message);
  return {};
}

std::string Semver::to_string() const {
  std::string out = std::to_string(major) + "." + std::to_string(minor) + "." + std::to_string(patch);
  for (std::size_t i = 0; i < prerelease.size(); ++i) out += (i ? "." : "-") + prerelease[i];
  for (std::size_t i = 0; i < build.size(); ++i) out += (i ? "." : "+") + build[i];
  return out;
}

std::strong_ordering operator<=>(const Semver& a, const Semver& b) {
  if (auto c = a.major <=> b.major; c != 0) return c;
  if (auto c = a.minor <=> b.minor; c != 0) return c;
  if (auto c = a.patch <=> b.patch; c != 0) return c;
  // A pre-release comes before the release (item 11.3).
  if (a.prerelease.empty() != b.prerelease.empty())
    return a.prerelease.empty() ? std::strong_ordering::greater : std::strong_ordering::less;
  for (std::size_t i = 0; i < a.prerelease.size() && i < b.prerelease.size(); ++i) {
    if (auto c = compare_identifier(a.prerelease[i], b.prerelease[i]); c != 0) return c;
  }
  return a.prerelease.size() <=> b.prerelease.size();  // more identifiers, higher (item 11.4.4)
}

}  // namespace mecapy::packages
