// Bounded output capture (see output_capture.hpp).
#include "sandbox/output_capture.hpp"

namespace mecapy::sandbox {

std::string OutputCapture::marker(std::uint64_t limit) {
  return "\n[mecapy-sandbox: output truncated at " + std::to_string(limit) + " bytes]\n";
}

bool OutputCapture::append(std::string_view data) {
  if (output_.truncated) return false;
  const std::uint64_t room = limit_ - output_.text.size();
  if (data.size() <= room) {
    output_.text.append(data);
    return true;
  }
  output_.text.append(data.substr(0, static_cast<std::size_t>(room)));
  output_.text += marker(limit_);
  output_.truncated = true;
  return false;
}

}  // namespace mecapy::sandbox
