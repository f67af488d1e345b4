// A bounded capture of one output stream. Up to `limit` bytes are kept; the first
// byte beyond marks the capture truncated, appends a marker line saying so, and tells
// the caller to stop the sandbox. An observer, when given, sees each kept piece as it is
// appended (live logs).
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "sandbox/result.hpp"

namespace mecapy::sandbox {

class OutputCapture {
 public:
  using Observer = std::function<void(std::string_view)>;
  explicit OutputCapture(std::uint64_t limit, Observer observer = {}) : limit_(limit), observer_(std::move(observer)) {}
  // Returns false once the limit is exceeded (further data is dropped).
  bool append(std::string_view data);
  bool overflowed() const { return output_.truncated; }
  CapturedOutput take() { return std::move(output_); }

  static std::string marker(std::uint64_t limit);

 private:
  void keep(std::string_view data);

  std::uint64_t limit_;
  Observer observer_;
  CapturedOutput output_;
};

}  // namespace mecapy::sandbox
