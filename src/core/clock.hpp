// Wall-clock helpers. Timestamps are UTC, RFC 3339 with millisecond precision.
#pragma once

#include <chrono>
#include <string>

namespace mecapy {

std::string format_rfc3339(std::chrono::system_clock::time_point t);
inline std::string now_rfc3339() { return format_rfc3339(std::chrono::system_clock::now()); }

// `now - age`, saturated: never before the epoch, never after `now`, and no
// arithmetic overflow whatever `age` is (a negative age counts as zero). Things
// created before the result are older than `age`.
std::chrono::system_clock::time_point cutoff_before(std::chrono::system_clock::time_point now,
                                                    std::chrono::seconds age);

}  // namespace mecapy
