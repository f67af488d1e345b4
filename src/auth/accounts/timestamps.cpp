#include "auth/accounts/timestamps.hpp"

#include <charconv>
#include <ctime>

#include "core/clock.hpp"

namespace mecapy::auth::accounts {
namespace {

// The digits of text[at, at + n) as a number; false if any is not a digit.
bool digits(std::string_view text, std::size_t at, std::size_t n, int* out) {
  const char* begin = text.data() + at;
  const auto parsed = std::from_chars(begin, begin + n, *out);
  return parsed.ec == std::errc() && parsed.ptr == begin + n && *out >= 0;
}

}  // namespace

std::string timestamp(TimePoint t) { return format_rfc3339(t); }

std::optional<TimePoint> parse_timestamp(std::string_view text) {
  // YYYY-MM-DDTHH:MM:SS.mmmZ
  if (text.size() != 24 || text[4] != '-' || text[7] != '-' || text[10] != 'T' || text[13] != ':' || text[16] != ':' ||
      text[19] != '.' || text[23] != 'Z')
    return std::nullopt;
  int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0, millis = 0;
  if (!digits(text, 0, 4, &year) || !digits(text, 5, 2, &month) || !digits(text, 8, 2, &day) ||
      !digits(text, 11, 2, &hour) || !digits(text, 14, 2, &minute) || !digits(text, 17, 2, &second) ||
      !digits(text, 20, 3, &millis))
    return std::nullopt;
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60) return std::nullopt;
  std::tm tm{};
  tm.tm_year = year - 1900;
  tm.tm_mon = month - 1;
  tm.tm_mday = day;
  tm.tm_hour = hour;
  tm.tm_min = minute;
  tm.tm_sec = second;
  const std::time_t seconds = timegm(&tm);
  return std::chrono::system_clock::from_time_t(seconds) + std::chrono::milliseconds(millis);
}

}  // namespace mecapy::auth::accounts
