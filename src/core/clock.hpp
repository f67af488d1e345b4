// Wall-clock helpers. Timestamps are UTC, RFC 3339 with millisecond precision.
#pragma once

#include <chrono>
#include <string>

namespace mecapy {

std::string format_rfc3339(std::chrono::system_clock::time_point t);
inline std::string now_rfc3339() { return format_rfc3339(std::chrono::system_clock::now()); }

}  // namespace mecapy
