// Physical units: which unit strings exist, which can be converted into which, and
// the conversions themselves, by UDUNITS-2 (its XML database, read once per process;
// UDUNITS2_XML_PATH selects another database, as UDUNITS itself reads it).
//
// Spellings: UTF-8, as UDUNITS-2 parses them ("mm", "N.m", "N·m", "N m", "kg/m3",
// "m/s^2", "°C", "degC", "µm", "lbf.ft"). Surrounding ASCII white space is ignored and
// U+22C5 (dot operator, what word processors write for "N⋅m") reads as U+00B7.
// Refused as unknown: the empty string (UDUNITS reads it as the number 1), text with
// a NUL byte, malformed UTF-8, unbalanced parentheses (UDUNITS accepts a stray
// trailing ")"), more than kLongestUnit bytes, timestamps ("s since 2000-01-01") and
// logarithmic units: none of them is a unit a port's number can be in.
//
// Aliases: spellings engineers write that UDUNITS-2 (2.2.28) does not define, added to
// the unit system at load time. UDUNITS applies its prefixes to them (kNm, MWh).
//   deg  degree of angle        UDUNITS knows degree, arc_degree and ° only
//   Nm   N.m                    the usual torque spelling of datasheets
//   Nmm  N.mm                   likewise, for moments in N·mm
//   Wh   W.h                    UDUNITS has no Wh, so no kWh either
//   lbm  lb                     pound-mass, written so next to lbf
// Two UDUNITS symbols are redefined, because their UDUNITS meaning is never the one
// an engineer means and would give silently wrong numbers:
//   rpm  1/min   UDUNITS: rotation/minute = 2π rad/min, so 60 rpm gave 2π Hz, not 1 Hz
//   mph  mi/h    UDUNITS: the milliphot (an illuminance), not miles per hour
//
// Dimensions: a unit's dimension is its exponents over the SI base quantities,
// written "M L T-2" (order M L T I Θ N J A; "1" when dimensionless). UDUNITS counts
// the radian as a dimensionless base unit; here plane angle keeps its own letter A,
// so rad/s and Hz, or rad and 1, are not convertible: UDUNITS would convert them
// with a factor 1 where a 2π is meant.
//
// Exactness: a conversion between a unit and itself (the same text, or two texts that
// UDUNITS parses to the same unit, "J" and "N.m") returns its input bit-identical
// without arithmetic. Other conversions are UDUNITS's (offsets included: degC, degF).
//
// Threads: every member may be called from any thread. UDUNITS's parser is not
// thread-safe, so parsing runs under one mutex; each parsed unit and each converter
// is kept (up to a bound, so that user-supplied strings cannot grow memory without
// limit) and cv_convert_double, which only reads its converter, runs outside it.
#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace mecapy::packages {

class UnitSystem {
 public:
  static constexpr std::size_t kLongestUnit = 128;

  // The process's unit system, loaded at the first call. Throws
  // Error(internal, "unit-database-unavailable") when the database cannot be read.
  static const UnitSystem& instance();

  UnitSystem(const UnitSystem&) = delete;
  UnitSystem& operator=(const UnitSystem&) = delete;
  ~UnitSystem();

  bool is_known(std::string_view unit) const;

  // Both units known and of the same dimension.
  bool convertible(std::string_view from, std::string_view to) const;

  // `value` in `from` expressed in `to`; nullopt when the two are not convertible.
  // The result may be infinite when the value overflows (1e308 km in mm).
  std::optional<double> convert(double value, std::string_view from, std::string_view to) const;

  // Both known and the same unit ("J" and "N.m", "degC" and "°C"): converting
  // between them returns the value as it is.
  bool same_unit(std::string_view a, std::string_view b) const;

  // The dimension of `unit` ("M L T-2"); nullopt when the unit is not known.
  std::optional<std::string> dimension(std::string_view unit) const;

 private:
  UnitSystem();
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace mecapy::packages
