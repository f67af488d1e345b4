// A small command-line parser for mecapy-sandbox: long options with a value
// ("--name VALUE" or "--name=VALUE"), repeatable ones, flags, and the command after
// "--" (or from the first argument that is not an option). It replaces a general
// library because this binary's start-up is part of every sandboxed run.
// Also the checked conversions of the option values (sizes, durations, counts).
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

namespace mecapy::command_line {

class Parser {
 public:
  explicit Parser(std::string description) : description_(std::move(description)) {}

  // `value_name` appears in the help ("--memory SIZE"); the current value of
  // `target` is shown as the default when not empty.
  void option(std::string name, std::string value_name, std::string help, std::string* target);
  void repeatable(std::string name, std::string value_name, std::string help, std::vector<std::string>* target);
  void flag(std::string name, std::string help, bool* target);

  // Fills the targets and `command`. Returns false when --help was given (the help is
  // then in help()). Throws mecapy::ConfigError naming the option for an unknown
  // option or a missing value.
  bool parse(int argc, char** argv, std::vector<std::string>* command);
  std::string help(const std::string& program) const;

 private:
  struct Entry {
    std::string name, value_name, help;
    std::string* value = nullptr;
    std::vector<std::string>* values = nullptr;
    bool* flag = nullptr;
    std::string default_text;
  };
  const Entry* find(const std::string& name) const;

  std::string description_;
  std::vector<Entry> entries_;
};

// Option values, checked strictly: a value that does not fit is refused, never wrapped
// or truncated. Each throws mecapy::ConfigError naming `flag` and saying what was
// expected ("expected a size such as 512K, 256M or 1GiB, got '12Mx'", "'4294967296'
// is too large (at most 4294967295)").

// Sizes in bytes: digits and an optional unit (K, KB, KiB, M, ..., G; any case), all
// powers of 1024.
std::uint64_t parse_size(const std::string& text, const std::string& flag);
// Durations: digits and an optional unit (ms, s, m, h; no unit: seconds), up to 100
// years (876000h: a deadline that far still fits a clock's 64-bit nanoseconds).
std::chrono::milliseconds parse_duration(const std::string& text, const std::string& flag);
// A number of CPU cores: finite, from 0 to 1,000,000.
double parse_cores(const std::string& text, const std::string& flag);
// A whole number that fits in 32 bits.
std::uint32_t parse_count(const std::string& text, const std::string& flag);

}  // namespace mecapy::command_line
