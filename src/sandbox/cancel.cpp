// Cancellation through an eventfd (see cancel.hpp).
#include "sandbox/cancel.hpp"

#include <poll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <cstdint>
#include <system_error>

namespace mecapy::sandbox {

CancelSignal::CancelSignal() : fd_(::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK)) {
  if (fd_ < 0) throw std::system_error(errno, std::generic_category(), "eventfd");
}

CancelSignal::~CancelSignal() { ::close(fd_); }

void CancelSignal::cancel() noexcept {
  const std::uint64_t one = 1;
  const ssize_t written = ::write(fd_, &one, sizeof one);
  static_cast<void>(written);
}

bool CancelSignal::cancelled() const noexcept {
  pollfd entry{fd_, POLLIN, 0};
  return ::poll(&entry, 1, 0) == 1;
}

}  // namespace mecapy::sandbox
