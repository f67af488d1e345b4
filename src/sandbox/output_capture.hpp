// A bounded capture of one output stream. Up to `limit` bytes are kept; the first
// byte beyond marks the capture truncated, appends a marker line saying so, and tells
// the caller to stop the sandbox.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "sandbox/result.hpp"

namespace mecapy::sandbox {

class OutputCapture {
 public:
  explicit OutputCapture(std::uint64_t limit) : limit_(limit) {}
  // Returns false once the limit is exceeded (further data is dropped).
  bool append(std::string_view data);
  bool overflowed() const { return output_.truncated; }
  CapturedOutput take() { return std::move(output_); }

  static std::string marker(std::uint64_t limit);

 private:
  std::uint64_t limit_;
  CapturedOutput output_;
};

}  // namespace mecapy::sandbox
