// Errors that cross subsystem boundaries. A subsystem throws mecapy::Error with a
// kind that says what went wrong from the caller's point of view; the HTTP layer maps
// each kind to a status code and a problem+json document. `code` is a stable slug
// that becomes the last part of the problem `type` URI.
#pragma once

#include <stdexcept>
#include <string>

namespace mecapy {

enum class ErrorKind {
  invalid_input,  // the caller sent something wrong: 400/422
  not_found,      // 404
  conflict,       // 409
  too_large,      // 413
  unavailable,    // a dependency (database, blob store) is down: 503
  corrupted,      // stored data failed an integrity check: 500, reported as such
  internal,       // a bug or an unexpected state: 500
};

class Error : public std::runtime_error {
 public:
  Error(ErrorKind kind, std::string code, const std::string& detail)
      : std::runtime_error(detail), kind_(kind), code_(std::move(code)) {}

  ErrorKind kind() const noexcept { return kind_; }
  const std::string& code() const noexcept { return code_; }

 private:
  ErrorKind kind_;
  std::string code_;
};

// A configuration value is invalid. `setting` names it the way the user wrote it
// (environment variable, flag or TOML key) so start-up can say what to fix.
class ConfigError : public std::runtime_error {
 public:
  ConfigError(std::string setting, const std::string& problem)
      : std::runtime_error(setting + ": " + problem), setting_(std::move(setting)) {}
  const std::string& setting() const noexcept { return setting_; }

 private:
  std::string setting_;
};

}  // namespace mecapy
