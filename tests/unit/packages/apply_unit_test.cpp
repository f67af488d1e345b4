// apply_unit: a declared unit set on every quantity of a type, and each refusal with
// the message that says what to write instead.
#include <gtest/gtest.h>

#include <string>

#include "packages/port.hpp"

namespace mecapy::packages {
namespace {

PortType type_of(std::string_view text) { return std::get<PortType>(parse_port_type(text)); }

bool says(const std::optional<std::string>& message, std::string_view text) {
  return message && message->find(text) != std::string::npos;
}

TEST(ApplyUnit, SetsTheUnitOfEveryQuantity) {
  PortType d = type_of("Length");
  EXPECT_EQ(apply_unit(d, "mm"), std::nullopt);
  EXPECT_EQ(d.unit, "mm");
  EXPECT_EQ(d.spelling(), "Length");

  PortType force3 = type_of("Force3");
  EXPECT_EQ(apply_unit(force3, "kN"), std::nullopt);
  EXPECT_EQ(force3.elements[0].unit, "kN");

  PortType table = type_of("dict[str, list[Stress]]");
  EXPECT_EQ(apply_unit(table, "MPa"), std::nullopt);
  EXPECT_EQ(table.elements[0].elements[0].unit, "MPa");

  PortType both = type_of("{p: Pressure, s: Stress}");  // one dimension: one unit fits
  EXPECT_EQ(apply_unit(both, "bar"), std::nullopt);
  EXPECT_EQ(both.fields[0].type[0].unit, "bar");
  EXPECT_EQ(both.fields[1].type[0].unit, "bar");

  PortType padded = type_of("Length");
  EXPECT_EQ(apply_unit(padded, " mm\t"), std::nullopt);
  EXPECT_EQ(padded.unit, "mm");

  PortType angle = type_of("Angle");
  EXPECT_EQ(apply_unit(angle, "°"), std::nullopt);
  EXPECT_EQ(angle.unit, "°");
}

TEST(ApplyUnit, RefusalsLeaveTheTypeUnchanged) {
  PortType d = type_of("Length");
  const PortType before = d;
  EXPECT_TRUE(says(apply_unit(d, "kg"), "'kg' is a mass; a Length takes units such as mm, m, cm, µm"))
      << *apply_unit(d, "kg");
  EXPECT_TRUE(says(apply_unit(d, "mmm"), "unknown unit 'mmm' (did you mean 'mm'?)"));
  EXPECT_TRUE(says(apply_unit(d, "qqqq"), "unknown unit 'qqqq'; a Length takes units such as mm"));
  EXPECT_TRUE(says(apply_unit(d, ""), "unknown unit ''"));
  EXPECT_EQ(d, before);

  PortType f = type_of("Force");
  EXPECT_TRUE(says(apply_unit(f, "mm"), "'mm' is a length; a Force takes units such as N, kN, MN"));
  EXPECT_TRUE(says(apply_unit(f, "N.m"), "'N.m' is a moment or an energy"));
  EXPECT_TRUE(says(apply_unit(f, "mol"), "'mol' is of dimension N"));
  EXPECT_TRUE(says(apply_unit(f, "kN/m"), "'kN/m' is a stiffness"));

  PortType frequency = type_of("Frequency");
  EXPECT_TRUE(says(apply_unit(frequency, "rad/s"), "a Frequency takes units such as Hz"));

  PortType torsor = type_of("Torsor");
  const PortType torsor_before = torsor;
  EXPECT_TRUE(says(apply_unit(torsor, "kN"), "Torsor holds quantities of several dimensions (Force, Moment)"));
  EXPECT_EQ(torsor, torsor_before);

  PortType count = type_of("Integer");
  EXPECT_TRUE(says(apply_unit(count, "mm"), "no physical quantity"));
  PortType names = type_of("list[str]");
  EXPECT_TRUE(says(apply_unit(names, "mm"), "list[String], which has no physical quantity"));
}

}  // namespace
}  // namespace mecapy::packages
