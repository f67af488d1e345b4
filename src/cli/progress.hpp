// A one-line transfer progress bar on stderr ("name  [#####     ]  45%  1.2 MiB / 2.7 MiB"),
// drawn only when stderr is a terminal: piped or redirected, `mecapy` prints nothing
// of it. Redrawn at most every 100 ms and when the transfer completes; finish()
// ends the line.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

namespace mecapy::cli {

class ProgressBar {
 public:
  explicit ProgressBar(std::string label);
  ProgressBar(const ProgressBar&) = delete;
  ProgressBar& operator=(const ProgressBar&) = delete;
  ~ProgressBar();

  bool enabled() const { return enabled_; }
  // `total` 0: unknown.
  void update(std::uint64_t done, std::uint64_t total);
  void finish();

 private:
  std::string label_;
  bool enabled_ = false;
  bool drawn_ = false;
  std::chrono::steady_clock::time_point last_{};
};

// "512 B", "1.2 KiB", "3.4 MiB", "1.0 GiB".
std::string human_size(std::uint64_t bytes);

}  // namespace mecapy::cli
