// The command-line parser (see command_line.hpp).
#include "main/command_line.hpp"

#include <cctype>
#include <charconv>
#include <cmath>
#include <limits>
#include <string_view>

#include "core/errors.hpp"

namespace mecapy::command_line {
namespace {

struct Unit {
  std::string_view suffix;
  std::uint64_t factor;
};
constexpr Unit kSizeUnits[] = {{"", 1},
                               {"b", 1},
                               {"k", 1ull << 10},
                               {"kb", 1ull << 10},
                               {"kib", 1ull << 10},
                               {"m", 1ull << 20},
                               {"mb", 1ull << 20},
                               {"mib", 1ull << 20},
                               {"g", 1ull << 30},
                               {"gb", 1ull << 30},
                               {"gib", 1ull << 30}};
constexpr Unit kDurationUnits[] = {{"ms", 1}, {"", 1000}, {"s", 1000}, {"m", 60'000}, {"h", 3'600'000}};

// The leading digits of `text` as a number no larger than `most`; the rest of the text
// is left in `rest`. Throws for no digits (a sign included) and for too large a number.
std::uint64_t leading_number(const std::string& text, const std::string& flag, std::uint64_t most, const char* expected,
                             std::string_view* rest) {
  const char* const begin = text.data();
  const char* const end = begin + text.size();
  const char* digits_end = begin;
  while (digits_end != end && *digits_end >= '0' && *digits_end <= '9') ++digits_end;
  if (digits_end == begin) throw ConfigError(flag, std::string("expected ") + expected + ", got '" + text + "'");
  std::uint64_t value = 0;
  const auto parsed = std::from_chars(begin, digits_end, value);
  if (parsed.ec == std::errc::result_out_of_range || value > most)
    throw ConfigError(flag, "'" + text + "' is too large (at most " + std::to_string(most) + ")");
  *rest = std::string_view(digits_end, static_cast<std::size_t>(end - digits_end));
  return value;
}

template <std::size_t N>
std::uint64_t parse_scaled(const std::string& text, const std::string& flag, const Unit (&units)[N], std::uint64_t most,
                           const char* expected) {
  std::string_view rest;
  const std::uint64_t number = leading_number(text, flag, std::numeric_limits<std::uint64_t>::max(), expected, &rest);
  std::string suffix(rest);
  for (auto& ch : suffix) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  for (const auto& unit : units) {
    if (unit.suffix != suffix) continue;
    std::uint64_t scaled = 0;
    if (__builtin_mul_overflow(number, unit.factor, &scaled) || scaled > most)
      throw ConfigError(flag, "'" + text + "' is too large (at most " + std::to_string(most / unit.factor) +
                                  (suffix.empty() ? "" : " " + std::string(rest)) + ")");
    return scaled;
  }
  throw ConfigError(flag, std::string("expected ") + expected + ", got '" + text + "'");
}

}  // namespace

std::uint64_t parse_size(const std::string& text, const std::string& flag) {
  return parse_scaled(text, flag, kSizeUnits, std::numeric_limits<std::uint64_t>::max(),
                      "a size such as 512K, 256M or 1GiB");
}

std::chrono::milliseconds parse_duration(const std::string& text, const std::string& flag) {
  // 100 years: a deadline that far still fits the clocks' 64-bit nanoseconds.
  constexpr std::uint64_t most = 876'000ull * 3'600'000;
  return std::chrono::milliseconds(
      parse_scaled(text, flag, kDurationUnits, most, "a duration such as 500ms, 30s or 5m"));
}

double parse_cores(const std::string& text, const std::string& flag) {
  constexpr double kMostCores = 1e6;
  double cores = -1;
  const auto parsed = std::from_chars(text.data(), text.data() + text.size(), cores, std::chars_format::fixed);
  if (parsed.ec != std::errc() || parsed.ptr != text.data() + text.size() || !std::isfinite(cores) || cores < 0 ||
      cores > kMostCores)
    throw ConfigError(flag, "expected a number of cores such as 0.5 or 2 (at most 1000000), got '" + text + "'");
  return cores;
}

std::uint32_t parse_count(const std::string& text, const std::string& flag) {
  std::string_view rest;
  const auto value = leading_number(text, flag, std::numeric_limits<std::uint32_t>::max(), "a whole number", &rest);
  if (!rest.empty()) throw ConfigError(flag, "expected a whole number, got '" + text + "'");
  return static_cast<std::uint32_t>(value);
}

void Parser::option(std::string name, std::string value_name, std::string help, std::string* target) {
  entries_.push_back(Entry{std::move(name), std::move(value_name), std::move(help), target, nullptr, nullptr, *target});
}

void Parser::repeatable(std::string name, std::string value_name, std::string help, std::vector<std::string>* target) {
  entries_.push_back(
      Entry{std::move(name), std::move(value_name), std::move(help) + " (repeatable)", nullptr, target, nullptr, ""});
}

void Parser::flag(std::string name, std::string help, bool* target) {
  entries_.push_back(Entry{std::move(name), "", std::move(help), nullptr, nullptr, target, ""});
}

const Parser::Entry* Parser::find(const std::string& name) const {
  for (const auto& entry : entries_)
    if (entry.name == name) return &entry;
  return nullptr;
}

bool Parser::parse(int argc, char** argv, std::vector<std::string>* command) {
  for (int i = 1; i < argc; ++i) {
    const std::string argument = argv[i];
    if (argument == "--") {
      command->assign(argv + i + 1, argv + argc);
      return true;
    }
    if (argument == "--help" || argument == "-h") return false;
    if (!argument.starts_with("-") || argument == "-") {
      command->assign(argv + i, argv + argc);
      return true;
    }
    const auto equals = argument.find('=');
    const std::string name = argument.substr(0, equals);
    const Entry* entry = find(name);
    if (!entry) throw ConfigError(name, "unknown option (see --help)");
    if (entry->flag) {
      if (equals != std::string::npos) throw ConfigError(name, "takes no value");
      *entry->flag = true;
      continue;
    }
    std::string value;
    if (equals != std::string::npos)
      value = argument.substr(equals + 1);
    else if (i + 1 < argc)
      value = argv[++i];
    else
      throw ConfigError(name, "expects a value (" + entry->value_name + ")");
    if (entry->values)
      entry->values->push_back(value);
    else
      *entry->value = value;
  }
  command->clear();
  return true;
}

std::string Parser::help(const std::string& program) const {
  std::string text = description_ + "\n\nUsage: " + program + " [OPTIONS] -- COMMAND [ARGS...]\n\nOptions:\n";
  auto line = [&text](std::string left, const std::string& right) {
    left.insert(0, "  ");
    if (left.size() < 28) left.resize(28, ' ');
    text += left + " " + right + "\n";
  };
  for (const auto& entry : entries_)
    line(entry.name + (entry.value_name.empty() ? "" : " " + entry.value_name),
         entry.help + (entry.default_text.empty() ? "" : " [" + entry.default_text + "]"));
  line("--help", "Print this help and exit");
  return text;
}

}  // namespace mecapy::command_line
