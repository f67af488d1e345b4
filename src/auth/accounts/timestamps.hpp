// Time in the identity stores. Every store takes the current time as a parameter
// (defaulting to the system clock) so tests drive lockouts and expiries with a clock
// of their own. Stored timestamps are core/clock's RFC 3339 form with milliseconds,
// UTC ("2025-01-31T12:00:00.000Z"): fixed width, so the database compares them as
// text in time order.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace mecapy::auth::accounts {

using TimePoint = std::chrono::system_clock::time_point;

inline TimePoint system_now() { return std::chrono::system_clock::now(); }

// format_rfc3339(t), the stored form.
std::string timestamp(TimePoint t);

// Reads a stored timestamp back (exactly the form timestamp() writes); nullopt for
// anything else, the empty string included.
std::optional<TimePoint> parse_timestamp(std::string_view text);

}  // namespace mecapy::auth::accounts
