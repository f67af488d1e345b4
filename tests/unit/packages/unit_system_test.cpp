// UnitSystem and the quantity catalogue: conversions against independently known
// factors, affine temperatures, bit-identity of same-unit conversions, the aliases,
// refusals of strings that are not units, and use from several threads at once.
//
// Reference factors are the exact definitions and values of NIST SP 811 (2008),
// appendix B: 1 in = 0.0254 m, 1 ft = 0.3048 m, 1 lb = 0.45359237 kg,
// 1 lbf = 4.4482216152605 N, 1 psi = 6894.757293168 Pa, 1 Btu_IT = 1055.05585262 J,
// 1 hp = 745.6999 W (rounded there), 1 atm = 101325 Pa, 1 mi = 1609.344 m; the
// others are SI prefixes or products of these, computed here, not taken from UDUNITS.
#include <gtest/gtest.h>

#include <bit>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <limits>
#include <map>
#include <numbers>
#include <string>
#include <vector>

#include "concurrently.hpp"
#include "core/errors.hpp"
#include "packages/quantity_catalog.hpp"
#include "packages/unit_system.hpp"

namespace mecapy::packages {
namespace {

const UnitSystem& units() { return UnitSystem::instance(); }

constexpr double kIn = 0.0254;
constexpr double kFt = 0.3048;
constexpr double kLb = 0.45359237;
constexpr double kLbf = 4.4482216152605;
constexpr double kPsi = 6894.757293168;
constexpr double kPi = std::numbers::pi;

struct Factor {
  double to_si;              // 1 unit = to_si SI units
  double tolerance = 1e-12;  // relative
};

// One entry for every suggested unit of every quantity but Temperature (affine, below).
const std::map<std::string, std::map<std::string, Factor>>& reference_factors() {
  static const std::map<std::string, std::map<std::string, Factor>> factors{
      {"Length",
       {{"mm", {1e-3}}, {"m", {1}}, {"cm", {1e-2}}, {"µm", {1e-6}}, {"km", {1e3}}, {"in", {kIn}}, {"ft", {kFt}}}},
      {"Area", {{"mm2", {1e-6}}, {"m2", {1}}, {"cm2", {1e-4}}, {"in2", {kIn * kIn}}, {"ft2", {kFt * kFt}}}},
      {"Volume",
       {{"mm3", {1e-9}},
        {"cm3", {1e-6}},
        {"L", {1e-3}},
        {"m3", {1}},
        {"in3", {kIn * kIn * kIn}},
        {"ft3", {kFt * kFt * kFt}}}},
      {"Angle",
       {{"deg", {kPi / 180}},
        {"rad", {1}},
        {"arcmin", {kPi / 10800}},
        {"arcsec", {kPi / 648000}},
        {"turn", {2 * kPi}}}},
      {"Mass", {{"kg", {1}}, {"g", {1e-3}}, {"t", {1e3}}, {"lb", {kLb}}}},
      {"Density",
       {{"kg/m3", {1}},
        {"g/cm3", {1e3}},
        {"t/m3", {1e3}},
        {"lb/ft3", {kLb / (kFt * kFt * kFt)}},
        {"lb/in3", {kLb / (kIn * kIn * kIn)}}}},
      {"Time", {{"s", {1}}, {"ms", {1e-3}}, {"min", {60}}, {"h", {3600}}, {"d", {86400}}}},
      {"Frequency", {{"Hz", {1}}, {"kHz", {1e3}}, {"rpm", {1.0 / 60}}, {"1/s", {1}}}},
      {"Force", {{"N", {1}}, {"kN", {1e3}}, {"MN", {1e6}}, {"daN", {10}}, {"lbf", {kLbf}}, {"kip", {1000 * kLbf}}}},
      {"Moment",
       {{"N.m", {1}}, {"N.mm", {1e-3}}, {"kN.m", {1e3}}, {"lbf.ft", {1.3558179483314}}, {"lbf.in", {kLbf * kIn}}}},
      {"Pressure", {{"bar", {1e5}}, {"kPa", {1e3}}, {"MPa", {1e6}}, {"Pa", {1}}, {"psi", {kPsi}}, {"atm", {101325}}}},
      {"Stress",
       {{"MPa", {1e6}}, {"Pa", {1}}, {"kPa", {1e3}}, {"GPa", {1e9}}, {"psi", {kPsi}}, {"ksi", {1000 * kPsi}}}},
      {"Energy",
       {{"J", {1}},
        {"kJ", {1e3}},
        {"MJ", {1e6}},
        {"kWh", {3.6e6}},
        {"ft.lbf", {kLbf * kFt}},
        {"Btu", {1055.05585262}}}},
      {"Power", {{"W", {1}}, {"kW", {1e3}}, {"MW", {1e6}}, {"hp", {745.6999, 1e-7}}}},
      {"Velocity", {{"m/s", {1}}, {"mm/s", {1e-3}}, {"km/h", {1 / 3.6}}, {"ft/s", {kFt}}, {"mph", {1609.344 / 3600}}}},
      {"Acceleration", {{"m/s2", {1}}, {"mm/s2", {1e-3}}, {"ft/s2", {kFt}}, {"in/s2", {kIn}}}},
      {"Stiffness", {{"N/mm", {1e3}}, {"N/m", {1}}, {"kN/mm", {1e6}}, {"kN/m", {1e3}}, {"lbf/in", {kLbf / kIn}}}},
  };
  return factors;
}

void expect_relative(double expected, double actual, double tolerance, const std::string& what) {
  EXPECT_LE(std::abs(actual - expected), tolerance * std::abs(expected))
      << what << ": expected " << expected << ", got " << actual;
}

TEST(QuantityCatalog, EverySuggestedUnitParsesAndHasTheQuantitysDimension) {
  ASSERT_EQ(quantities().size(), 18u);
  for (const Quantity& quantity : quantities()) {
    EXPECT_EQ(units().dimension(quantity.si_unit), quantity.dimension) << quantity.name;
    ASSERT_FALSE(quantity.suggested_units.empty()) << quantity.name;
    for (const std::string& unit : quantity.suggested_units) {
      EXPECT_TRUE(units().is_known(unit)) << quantity.name << " " << unit;
      EXPECT_TRUE(units().convertible(unit, quantity.si_unit)) << quantity.name << " " << unit;
      EXPECT_EQ(units().dimension(unit), quantity.dimension) << quantity.name << " " << unit;
    }
  }
}

TEST(QuantityCatalog, EverySuggestedUnitConvertsByItsReferenceFactor) {
  for (const Quantity& quantity : quantities()) {
    if (quantity.name == "Temperature") continue;  // affine: TemperatureConversions
    const auto table = reference_factors().find(quantity.name);
    ASSERT_NE(table, reference_factors().end()) << "no reference factors for " << quantity.name;
    for (const std::string& unit : quantity.suggested_units) {
      const auto factor = table->second.find(unit);
      ASSERT_NE(factor, table->second.end()) << "no reference factor for " << unit << " (" << quantity.name << ")";
      const std::optional<double> to_si = units().convert(1.0, unit, quantity.si_unit);
      ASSERT_TRUE(to_si) << unit;
      expect_relative(factor->second.to_si, *to_si, factor->second.tolerance, "1 " + unit + " in " + quantity.si_unit);
      const std::optional<double> back = units().convert(2.5, quantity.si_unit, unit);
      ASSERT_TRUE(back) << unit;
      expect_relative(2.5 / factor->second.to_si, *back, factor->second.tolerance,
                      "2.5 " + quantity.si_unit + " in " + unit);
    }
  }
}

TEST(QuantityCatalog, PublishedValuesOfNistSp811) {
  expect_relative(1.3558179483314, *units().convert(1, "lbf.ft", "N.m"), 1e-13, "lbf.ft");
  expect_relative(6894.757293168, *units().convert(1, "psi", "Pa"), 1e-12, "psi");
  expect_relative(6.894757293168, *units().convert(1, "ksi", "MPa"), 1e-12, "ksi");
  expect_relative(25.4, *units().convert(1, "in", "mm"), 1e-15, "in");
  expect_relative(1000, *units().convert(1, "ksi", "psi"), 1e-14, "ksi/psi");
  expect_relative(kLbf, *units().convert(1, "lbf", "N"), 1e-15, "lbf");
  expect_relative(1e3 / kLbf, *units().convert(1, "kN", "lbf"), 1e-14, "kN in lbf");
}

TEST(QuantityCatalog, UnitKindsForMessages) {
  EXPECT_EQ(unit_kind("kg"), "a mass");
  EXPECT_EQ(unit_kind("mm"), "a length");
  EXPECT_EQ(unit_kind("m/s2"), "an acceleration");
  EXPECT_EQ(unit_kind("J"), "a moment or an energy");
  EXPECT_EQ(unit_kind("MPa"), "a pressure or a stress");
  EXPECT_EQ(unit_kind("mol"), "of dimension N");
  EXPECT_EQ(unit_kind("percent"), "dimensionless");
  EXPECT_EQ(unit_kind("mmm"), std::nullopt);
}

TEST(UnitSystem, TemperatureConversions) {
  EXPECT_NEAR(*units().convert(0, "degC", "K"), 273.15, 1e-12);
  EXPECT_NEAR(*units().convert(32, "degF", "degC"), 0, 1e-12);
  expect_relative(212, *units().convert(100, "°C", "degF"), 1e-14, "100 °C in degF");
  expect_relative(-40, *units().convert(-40, "degC", "degF"), 1e-14, "-40 degC in degF");
  expect_relative(26.85, *units().convert(300, "K", "degC"), 1e-13, "300 K in degC");
  expect_relative(255.3722222222222, *units().convert(0, "degF", "K"), 1e-13, "0 degF in K");
  // A difference of temperatures is not a temperature: 10 degC is 283.15 K, not 10 K.
  expect_relative(283.15, *units().convert(10, "degC", "K"), 1e-14, "10 degC in K");
}

bool same_bits(double a, double b) { return std::bit_cast<std::uint64_t>(a) == std::bit_cast<std::uint64_t>(b); }

TEST(UnitSystem, ConversionToTheSameUnitIsBitIdentical) {
  const double values[] = {
      0.1, -0.0, 1.0 / 3.0, 0.30000000000000004, 5e-324, std::numeric_limits<double>::max(), -123456.789e-200};
  const std::pair<const char*, const char*> same_units[] = {{"mm", "mm"},   {"mm", " mm "}, {"J", "N.m"},
                                                            {"degC", "°C"}, {"N·m", "N.m"}, {"µm", "μm"},
                                                            {"Nm", "N.m"},  {"degF", "°F"}, {"Hz", "1/s"}};
  for (const auto& [from, to] : same_units) {
    ASSERT_TRUE(units().same_unit(from, to)) << from << " " << to;
    for (double value : values) {
      const std::optional<double> result = units().convert(value, from, to);
      ASSERT_TRUE(result) << from << " -> " << to;
      EXPECT_TRUE(same_bits(value, *result)) << from << " -> " << to << ": " << value << " became " << *result;
    }
  }
  EXPECT_FALSE(units().same_unit("mm", "m"));
  EXPECT_FALSE(units().same_unit("rad", "1"));
}

TEST(UnitSystem, Aliases) {
  expect_relative(kPi / 180, *units().convert(1, "deg", "rad"), 1e-15, "deg");
  expect_relative(1, *units().convert(1, "deg", "degree"), 1e-15, "deg is degree");
  expect_relative(1000, *units().convert(1, "kNm", "N.m"), 1e-15, "kNm");
  expect_relative(1e-3, *units().convert(1, "Nmm", "N.m"), 1e-15, "Nmm");
  expect_relative(3600, *units().convert(1, "Wh", "J"), 1e-15, "Wh");
  expect_relative(3.6e6, *units().convert(1, "kWh", "J"), 1e-15, "kWh");
  expect_relative(kLb, *units().convert(1, "lbm", "kg"), 1e-15, "lbm");
  expect_relative(1, *units().convert(60, "rpm", "Hz"), 1e-15, "60 rpm");
  expect_relative(0.44704, *units().convert(1, "mph", "m/s"), 1e-14, "mph");
  // UDUNITS's own units beside the aliases are unchanged.
  expect_relative(1, *units().convert(1e9, "nm", "m"), 1e-15, "nm");
  expect_relative(5.0 / 9.0, *units().convert(1, "degR", "K"), 1e-14, "degR");
  EXPECT_TRUE(units().convertible("degF", "K"));
}

TEST(UnitSystem, PlaneAngleIsADimensionOfItsOwn) {
  EXPECT_EQ(units().dimension("rad"), "A");
  EXPECT_EQ(units().dimension("sr"), "A2");
  EXPECT_EQ(units().dimension("rad/s"), "T-1 A");
  EXPECT_EQ(units().dimension("1"), "1");
  EXPECT_FALSE(units().convertible("rad", "1"));
  EXPECT_FALSE(units().convertible("rad/s", "Hz"));  // UDUNITS alone converts them with a factor 1
  EXPECT_EQ(units().convert(1, "rad/s", "Hz"), std::nullopt);
  EXPECT_TRUE(units().convertible("deg/s", "rad/s"));
}

TEST(UnitSystem, DimensionsAreWrittenOverTheBaseQuantities) {
  EXPECT_EQ(units().dimension("N"), "M L T-2");
  EXPECT_EQ(units().dimension("MPa"), "M L-1 T-2");
  EXPECT_EQ(units().dimension("kg/m3"), "M L-3");
  EXPECT_EQ(units().dimension("degC"), "Θ");
  EXPECT_EQ(units().dimension("V"), "M L2 T-3 I-1");
  EXPECT_EQ(units().dimension("mol/L"), "L-3 N");
  EXPECT_EQ(units().dimension("lm"), "J A2");
  EXPECT_EQ(units().dimension("mmm"), std::nullopt);
}

TEST(UnitSystem, Utf8Spellings) {
  for (const char* unit : {"°C", "µm", "μm", "N·m", "N⋅m", "kN·m", "m²", "kg/m³", "Ω"}) {
    EXPECT_TRUE(units().is_known(unit)) << unit;
  }
  expect_relative(1e-6, *units().convert(1, "µm", "m"), 1e-15, "µm");
  expect_relative(1e3, *units().convert(1, "kN⋅m", "N.m"), 1e-15, "kN⋅m");
}

TEST(UnitSystem, StringsThatAreNotUnitsAreUnknown) {
  const std::string with_nul("m\0kg", 4);
  const std::string too_long(UnitSystem::kLongestUnit + 1, 'm');
  const std::string long_but_allowed = std::string(UnitSystem::kLongestUnit - 2, ' ') + "mm";
  for (std::string_view text :
       {std::string_view(""), std::string_view("   "), std::string_view(with_nul), std::string_view(too_long),
        std::string_view("m)"), std::string_view("(m"), std::string_view("\xff"), std::string_view("m\xc3"),
        std::string_view("\xc0\xaf"), std::string_view("s since 2000-01-01"), std::string_view("lg(re 1 mW)"),
        std::string_view("mmm"), std::string_view("m^256"), std::string_view("1e400 m"), std::string_view("Forse"),
        std::string_view("m/0")}) {
    EXPECT_FALSE(units().is_known(text)) << "'" << text << "'";
    EXPECT_EQ(units().dimension(text), std::nullopt) << "'" << text << "'";
    EXPECT_EQ(units().convert(1, text, "m"), std::nullopt) << "'" << text << "'";
    EXPECT_EQ(units().convert(1, text, text), std::nullopt) << "'" << text << "'";
  }
  EXPECT_TRUE(units().is_known(long_but_allowed));
  EXPECT_TRUE(units().is_known("\tmm\n"));
}

TEST(UnitSystem, WrongDimensionsDoNotConvert) {
  EXPECT_FALSE(units().convertible("kg", "mm"));
  EXPECT_EQ(units().convert(1, "kg", "mm"), std::nullopt);
  EXPECT_EQ(units().convert(1, "N", "N.m"), std::nullopt);
  EXPECT_EQ(units().convert(1, "s since 2000-01-01", "s"), std::nullopt);
}

TEST(UnitSystem, OverflowGivesAnInfiniteResultForTheCallerToRefuse) {
  const std::optional<double> result = units().convert(1e306, "km", "mm");
  ASSERT_TRUE(result);
  EXPECT_TRUE(std::isinf(*result));
}

TEST(UnitSystem, ConcurrentUseGivesTheSameResults) {
  const std::vector<std::pair<std::string, std::string>> pairs{
      {"mm", "m"},     {"kN", "lbf"},      {"degC", "degF"},   {"psi", "MPa"}, {"kN.m", "lbf.ft"},
      {"km/h", "m/s"}, {"rpm", "Hz"},      {"g/cm3", "kg/m3"}, {"deg", "rad"}, {"kWh", "MJ"},
      {"µm", "in"},    {"N/mm", "lbf/in"}, {"hp", "kW"}};
  const std::vector<double> values{0.1, 1, -17.5, 1e-9, 3.75e6};
  // Strings parsed by the threads first (not cached beforehand) as well as cached ones.
  std::vector<double> expected;
  for (const auto& [from, to] : pairs) {
    for (double value : values) expected.push_back(*units().convert(value, from, to));
  }
  const std::vector<int> mismatches = mismatches_in_threads(8, [&](int t) {
    int wrong = 0;
    for (int round = 0; round < 200; ++round) {
      std::size_t i = 0;
      for (const auto& [from, to] : pairs) {
        for (double value : values) {
          const std::optional<double> result = units().convert(value, from, to);
          if (!result || !same_bits(*result, expected[i])) ++wrong;
          ++i;
        }
      }
      const int scale = t * 1000 + round + 1;
      const std::string fresh = std::to_string(scale) + " mm";  // parsed under contention
      const std::optional<double> metres = units().convert(1.0, fresh, "m");
      if (!metres || std::abs(*metres - scale * 1e-3) > 1e-12 * scale) ++wrong;
      if (!units().is_known("kN") || units().is_known("kNN")) ++wrong;
    }
    return wrong;
  });
  for (std::size_t t = 0; t < mismatches.size(); ++t) EXPECT_EQ(mismatches[t], 0) << "thread " << t;
}

// The database is read where UDUNITS2_XML_PATH says; one that cannot be read is an
// error for operators (the path in its cause), not a crash. In a fresh process: the
// "threadsafe" death-test style re-runs the binary, so the unit system is loaded anew.
TEST(UnitSystemDeathTest, AnUnreadableDatabaseIsAnErrorNamingItsPath) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  EXPECT_EXIT(
      {
        setenv("UDUNITS2_XML_PATH", "/nonexistent/udunits2.xml", 1);
        try {
          UnitSystem::instance();
        } catch (const Error& e) {
          std::fprintf(stderr, "%s: %s (%s)\n", e.code().c_str(), e.what(), e.cause().c_str());
          std::exit(3);
        }
        std::exit(0);
      },
      testing::ExitedWithCode(3),
      "unit-database-unavailable: the unit database could not be loaded .*UDUNITS2_XML_PATH=/nonexistent/udunits2.xml");
}

// Last of this file: it fills the process's cache, and the tests above should see it empty.
TEST(UnitSystem, ManyDistinctStringsStayCorrectBeyondTheCache) {
  // Each "<k> m" is a distinct unit string: once the cache is full they are parsed
  // for the call only, and must still convert rightly.
  for (int k = 1; k <= 9000; k += 1) {
    const std::string unit = std::to_string(k) + " m";
    const std::optional<double> metres = units().convert(2.0, unit, "m");
    ASSERT_TRUE(metres) << unit;
    ASSERT_EQ(*metres, 2.0 * k) << unit;
  }
  expect_relative(1e-3, *units().convert(1, "mm", "m"), 1e-15, "mm after many strings");
}

}  // namespace
}  // namespace mecapy::packages
