// Small-file helpers for procfs and cgroupfs (see file_io.hpp).
#include "sandbox/file_io.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstring>

namespace mecapy::sandbox {

std::optional<std::string> read_small_file(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return std::nullopt;
  std::string content;
  char buffer[4096];
  for (;;) {
    const ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      ::close(fd);
      return std::nullopt;
    }
    if (n == 0) break;
    content.append(buffer, static_cast<std::size_t>(n));
  }
  ::close(fd);
  return content;
}

int write_small_file(const std::string& path, std::string_view value) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return errno;
  const ssize_t n = ::write(fd, value.data(), value.size());
  const int error = n < 0 ? errno : (static_cast<std::size_t>(n) == value.size() ? 0 : EIO);
  ::close(fd);
  return error;
}

namespace {
std::optional<std::uint64_t> leading_number(std::string_view text) {
  std::uint64_t value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc{} || end == text.data()) return std::nullopt;
  return value;
}
}  // namespace

std::optional<std::uint64_t> read_number_file(const std::string& path) {
  const auto content = read_small_file(path);
  if (!content) return std::nullopt;
  return leading_number(*content);
}

std::optional<std::uint64_t> read_keyed_value(const std::string& path, std::string_view key) {
  const auto content = read_small_file(path);
  if (!content) return std::nullopt;
  std::string_view rest = *content;
  while (!rest.empty()) {
    const auto end = rest.find('\n');
    const std::string_view line = rest.substr(0, end);
    rest = end == std::string_view::npos ? std::string_view{} : rest.substr(end + 1);
    if (line.size() > key.size() && line.starts_with(key) && line[key.size()] == ' ')
      return leading_number(line.substr(key.size() + 1));
  }
  return std::nullopt;
}

std::string errno_text(int error) {
  const char* name = strerrorname_np(error);
  return std::string(name ? name : "E?") + ": " + std::strerror(error);
}

}  // namespace mecapy::sandbox
