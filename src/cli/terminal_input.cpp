// Reading lines and secrets (see terminal_input.hpp).
#include "cli/terminal_input.hpp"

#include <termios.h>
#include <unistd.h>

#include <cstdio>
#include <iostream>

#include "cli/exit_codes.hpp"

namespace mecapy::cli {

bool stdin_is_terminal() { return ::isatty(STDIN_FILENO) == 1; }

std::string read_stdin_line(const std::string& what) {
  std::string line;
  if (!std::getline(std::cin, line) && line.empty()) throw CliError(Exit::usage, "no " + what + " on stdin");
  if (!line.empty() && line.back() == '\r') line.pop_back();
  return line;
}

std::string read_secret(const std::string& prompt) {
  std::fputs(prompt.c_str(), stderr);
  std::fflush(stderr);
  termios saved{};
  const bool terminal = ::tcgetattr(STDIN_FILENO, &saved) == 0;
  if (terminal) {
    termios quiet = saved;
    quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    ::tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
  }
  std::string line;
  const bool read = static_cast<bool>(std::getline(std::cin, line));
  if (terminal) {
    ::tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved);
    std::fputs("\n", stderr);
  }
  if (!read && line.empty()) throw CliError(Exit::usage, "nothing was typed");
  return line;
}

std::string read_answer(const std::string& prompt) {
  std::fputs(prompt.c_str(), stderr);
  std::fflush(stderr);
  return read_stdin_line("answer");
}

}  // namespace mecapy::cli
