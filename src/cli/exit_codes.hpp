// The exit codes of `mecapy` (docs/cli.md) and the error every command throws to end
// with one. A command that succeeds returns normally (exit 0); anything else throws
// CliError, whose message main() prints on stderr as "mecapy: MESSAGE".
#pragma once

#include <stdexcept>
#include <string>

namespace mecapy::cli {

enum class Exit : int {
  ok = 0,
  job_failed = 1,  // the job ran and ended failed, timeout or cancelled
  usage = 2,       // a wrong invocation, invalid inputs, a refused configuration
  auth = 3,        // no credentials, bad ones, or not allowed
  not_found = 4,   // the file, package, function or job does not exist (for you)
  server = 5,      // the server failed or could not be reached
};

class CliError : public std::runtime_error {
 public:
  CliError(Exit exit, const std::string& message) : std::runtime_error(message), exit_(exit) {}
  Exit exit() const noexcept { return exit_; }

 private:
  Exit exit_;
};

}  // namespace mecapy::cli
