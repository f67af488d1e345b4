// Bounded output capture (see output_capture.hpp).
#include "sandbox/output_capture.hpp"

namespace mecapy::sandbox {

std::string OutputCapture::marker(std::uint64_t limit) {
  return "\n[mecapy-sandbox: output truncated at " + std::to_string(limit) + " bytes]\n";
}

void OutputCapture::keep(std::string_view data) {
  if (data.empty()) return;
  output_.text.append(data);
  if (observer_) observer_(data);
}

bool OutputCapture::append(std::string_view data) {
  if (output_.truncated) return false;
  const std::uint64_t room = limit_ - output_.text.size();
  if (data.size() <= room) {
    keep(data);
    return true;
  }
  keep(data.substr(0, static_cast<std::size_t>(room)));
  keep(marker(limit_));
  output_.truncated = true;
  return false;
}

}  // namespace mecapy::sandbox
