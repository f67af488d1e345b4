// Reading what the user types: a line from stdin, or a secret from the terminal with
// its echo turned off (restored whatever happens).
#pragma once

#include <string>

namespace mecapy::cli {

bool stdin_is_terminal();

// One line of stdin without its line ending; CliError(usage) naming `what` at the end
// of the input with nothing read.
std::string read_stdin_line(const std::string& what);

// Prints `prompt` on stderr and reads one line from the terminal without echo.
std::string read_secret(const std::string& prompt);

// Prints `prompt` on stderr and reads one line, echoed.
std::string read_answer(const std::string& prompt);

}  // namespace mecapy::cli
