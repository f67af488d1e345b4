#include "core/clock.hpp"

#include <cstdio>
#include <ctime>

namespace mecapy {

std::string format_rfc3339(std::chrono::system_clock::time_point t) {
  using namespace std::chrono;
  const auto ms = duration_cast<milliseconds>(t.time_since_epoch()).count();
  const std::time_t secs = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                tm.tm_hour, tm.tm_min, tm.tm_sec, static_cast<int>(ms % 1000));
  return buf;
}

std::chrono::system_clock::time_point cutoff_before(std::chrono::system_clock::time_point now,
                                                    std::chrono::seconds age) {
  using namespace std::chrono;
  const system_clock::time_point epoch{};
  if (age <= seconds::zero() || now <= epoch) return now;
  // Compared in seconds first: converting a huge age to the clock's finer ticks
  // would itself overflow.
  if (age >= duration_cast<seconds>(now - epoch)) return epoch;
  return now - duration_cast<system_clock::duration>(age);
}

}  // namespace mecapy
