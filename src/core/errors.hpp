// Errors that cross subsystem boundaries. A subsystem throws mecapy::Error with a
// kind that says what went wrong from the caller's point of view; the HTTP layer maps
// each kind to a status code and a problem+json document. `code` is a stable slug
// that becomes the last part of the problem `type` URI.
#pragma once

#include <boost/json/object.hpp>
#include <stdexcept>
#include <string>

namespace mecapy {

enum class ErrorKind {
  invalid_input,         // the caller sent something malformed: 400
  unprocessable,         // well-formed but refused by a rule (a manifest, an input's value): 422
  unauthenticated,       // missing or invalid credentials: 401
  forbidden,             // authenticated, but not allowed: 403
  not_found,             // 404
  conflict,              // 409
  too_large,             // 413
  too_many_requests,     // slow down (a locked account); members.retry_after_s says how long: 429
  insufficient_storage,  // the server's storage is full: 507
  unavailable,           // a dependency (database, blob store) is down: 503
  corrupted,             // stored data failed an integrity check: 500, reported as such
  internal,              // a bug or an unexpected state: 500
};

// `detail` (what()) is public: it is sent to the client, so it says what to fix and
// never carries internals. `cause` is for operators only: driver messages, paths,
// endpoints; the HTTP layer logs it with the request id and never sends it.
class Error : public std::runtime_error {
 public:
  Error(ErrorKind kind, std::string code, const std::string& detail, std::string cause = {})
      : std::runtime_error(detail), kind_(kind), code_(std::move(code)), cause_(std::move(cause)) {}

  ErrorKind kind() const noexcept { return kind_; }
  const std::string& code() const noexcept { return code_; }
  const std::string& cause() const noexcept { return cause_; }

 private:
  ErrorKind kind_;
  std::string code_;
  std::string cause_;
};

// An error with members for its problem document beyond the detail: the list of
// every manifest error with its position, every invalid input with its pointer.
class DetailedError : public Error {
 public:
  DetailedError(ErrorKind kind, std::string code, const std::string& detail, boost::json::object members,
                std::string cause = {})
      : Error(kind, std::move(code), detail, std::move(cause)), members_(std::move(members)) {}
  const boost::json::object& members() const noexcept { return members_; }

 private:
  boost::json::object members_;
};

// What an operator should read about `e`: its message and, for a mecapy::Error, its
// cause (for logs only, never for a client).
inline std::string operator_message(const std::exception& e) {
  const auto* error = dynamic_cast<const Error*>(&e);
  if (!error || error->cause().empty()) return e.what();
  return std::string(e.what()) + " (" + error->cause() + ")";
}

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
