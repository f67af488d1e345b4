// parse_port_type: every form of the grammar, the canonical spelling read back, and
// every class of error with its offset and what the message tells the user to write.
#include <gtest/gtest.h>

#include <bit>
#include <cstdint>
#include <string>
#include <vector>

#include "packages/port.hpp"

namespace mecapy::packages {
namespace {

PortType parsed(std::string_view text) {
  auto result = parse_port_type(text);
  if (const TypeProblem* problem = std::get_if<TypeProblem>(&result)) {
    ADD_FAILURE() << "'" << text << "': " << problem->message << " at " << problem->offset;
    return {};
  }
  return std::get<PortType>(std::move(result));
}

TypeProblem problem(std::string_view text) {
  auto result = parse_port_type(text);
  if (std::holds_alternative<PortType>(result)) {
    ADD_FAILURE() << "'" << text << "' parsed as " << std::get<PortType>(result).spelling();
    return {};
  }
  return std::get<TypeProblem>(std::move(result));
}

void expect_problem(std::string_view text, std::size_t offset, std::string_view says) {
  const TypeProblem found = problem(text);
  EXPECT_EQ(found.offset, offset) << "'" << text << "': " << found.message;
  EXPECT_NE(found.message.find(says), std::string::npos) << "'" << text << "': " << found.message;
}

TEST(TypeParser, PrimitivesAndTheirPythonSpellings) {
  EXPECT_EQ(parsed("Float").kind, TypeKind::float_number);
  EXPECT_EQ(parsed("Integer").kind, TypeKind::integer);
  EXPECT_EQ(parsed("Numeric").kind, TypeKind::numeric);
  EXPECT_EQ(parsed("Boolean").kind, TypeKind::boolean);
  EXPECT_EQ(parsed("String").kind, TypeKind::string);
  EXPECT_EQ(parsed("float"), parsed("Float"));
  EXPECT_EQ(parsed("int"), parsed("Integer"));
  EXPECT_EQ(parsed("bool"), parsed("Boolean"));
  EXPECT_EQ(parsed("str"), parsed("String"));
  EXPECT_EQ(parsed("number"), parsed("Numeric"));
  EXPECT_EQ(parsed("int").spelling(), "Integer");
}

TEST(TypeParser, QuantitiesComeInTheirSiUnit) {
  const PortType force = parsed("Force");
  EXPECT_EQ(force.kind, TypeKind::quantity);
  EXPECT_EQ(force.name, "Force");
  EXPECT_EQ(force.quantity, "Force");
  EXPECT_EQ(force.unit, "N");
  EXPECT_EQ(parsed("Stress").unit, "Pa");
  EXPECT_EQ(parsed("Moment").unit, "N.m");
  EXPECT_EQ(parsed("Temperature").unit, "K");
  EXPECT_EQ(parsed("Density").unit, "kg/m3");
}

TEST(TypeParser, CompositesExpandAndKeepTheirName) {
  const PortType force3 = parsed("Force3");
  EXPECT_EQ(force3.kind, TypeKind::list);
  EXPECT_EQ(force3.name, "Force3");
  EXPECT_EQ(force3.fixed_size, 3u);
  ASSERT_EQ(force3.elements.size(), 1u);
  EXPECT_EQ(force3.elements[0].quantity, "Force");

  const PortType vector3 = parsed("Vector3");
  EXPECT_EQ(vector3.fixed_size, 3u);
  EXPECT_EQ(vector3.elements[0].kind, TypeKind::float_number);

  const PortType torsor = parsed("Torsor");
  EXPECT_EQ(torsor.kind, TypeKind::structure);
  ASSERT_EQ(torsor.fields.size(), 2u);
  EXPECT_EQ(torsor.fields[0].name, "F");
  EXPECT_EQ(torsor.fields[0].type[0], parsed("Force3"));
  EXPECT_EQ(torsor.fields[1].name, "M");
  EXPECT_EQ(torsor.fields[1].type[0].elements[0].unit, "N.m");
  EXPECT_EQ(torsor.spelling(), "Torsor");

  const PortType matrix = parsed("Matrix");
  EXPECT_EQ(matrix.kind, TypeKind::list);
  EXPECT_FALSE(matrix.fixed_size);
  EXPECT_EQ(matrix.elements[0].kind, TypeKind::list);
  EXPECT_EQ(matrix.elements[0].elements[0].kind, TypeKind::float_number);
}

TEST(TypeParser, ListsAndDicts) {
  const PortType list = parsed("list[Length]");
  EXPECT_EQ(list.kind, TypeKind::list);
  EXPECT_TRUE(list.name.empty());
  EXPECT_FALSE(list.fixed_size);
  EXPECT_EQ(list.elements[0], parsed("Length"));
  EXPECT_EQ(parsed("List[Length]"), list);
  EXPECT_EQ(parsed("list[list[Force3]]").elements[0].elements[0].name, "Force3");

  const PortType dict = parsed("dict[str, Force]");
  EXPECT_EQ(dict.kind, TypeKind::dict);
  EXPECT_EQ(dict.elements[0], parsed("Force"));
  EXPECT_EQ(parsed("Dict[str, Force]"), dict);
  EXPECT_EQ(parsed("dict[String,Force]"), dict);
  EXPECT_EQ(parsed("dict[str, list[float]]").spelling(), "dict[str, list[Float]]");
}

TEST(TypeParser, LiteralNumbersAreExactAndIntegersStayIntegers) {
  const PortType grades = parsed("literal[8.8, 10.9, 12.9]");
  ASSERT_EQ(grades.kind, TypeKind::literal);
  ASSERT_EQ(grades.literals.size(), 3u);
  ASSERT_TRUE(grades.literals[0].is_double());
  EXPECT_EQ(std::bit_cast<std::uint64_t>(grades.literals[0].as_double()), std::bit_cast<std::uint64_t>(8.8));
  EXPECT_EQ(std::bit_cast<std::uint64_t>(grades.literals[1].as_double()), std::bit_cast<std::uint64_t>(10.9));

  const PortType sizes = parsed("Literal[6, 8, -10, 9007199254740993]");
  ASSERT_TRUE(sizes.literals[0].is_int64());
  EXPECT_EQ(sizes.literals[0].as_int64(), 6);
  EXPECT_EQ(sizes.literals[2].as_int64(), -10);
  EXPECT_EQ(sizes.literals[3].as_int64(), 9007199254740993);  // not representable as a double

  const PortType exponents = parsed("literal[1e3, 0.1, 5e-324, +2.5]");
  EXPECT_TRUE(exponents.literals[0].is_double());
  EXPECT_EQ(exponents.literals[0].as_double(), 1000.0);
  EXPECT_EQ(std::bit_cast<std::uint64_t>(exponents.literals[1].as_double()), std::bit_cast<std::uint64_t>(0.1));
  EXPECT_EQ(exponents.literals[2].as_double(), 5e-324);
  EXPECT_EQ(exponents.literals[3].as_double(), 2.5);
}

TEST(TypeParser, LiteralStrings) {
  const PortType modes = parsed(R"(literal["fast", 'safe', "a\"b", "µ\u00e9"])");
  ASSERT_EQ(modes.literals.size(), 4u);
  EXPECT_EQ(modes.literals[0].as_string(), "fast");
  EXPECT_EQ(modes.literals[1].as_string(), "safe");
  EXPECT_EQ(modes.literals[2].as_string(), "a\"b");
  EXPECT_EQ(modes.literals[3].as_string(), "µé");
  const PortType mixed = parsed(R"(literal[1, "auto"])");
  EXPECT_TRUE(mixed.literals[0].is_int64());
  EXPECT_TRUE(mixed.literals[1].is_string());
}

TEST(TypeParser, Files) {
  const PortType any = parsed("File");
  EXPECT_EQ(any.kind, TypeKind::file);
  EXPECT_TRUE(any.extensions.empty());
  const PortType cad = parsed("File[csv, STEP, Step, stp]");
  EXPECT_EQ(cad.extensions, (std::vector<std::string>{"csv", "step", "stp"}));
  EXPECT_EQ(cad.spelling(), "File[csv, step, stp]");
}

TEST(TypeParser, InlineStructs) {
  const PortType bolt = parsed("{d: Length, grade: literal[8.8, 10.9], loads: list[Force3], n: int}");
  ASSERT_EQ(bolt.kind, TypeKind::structure);
  ASSERT_EQ(bolt.fields.size(), 4u);
  EXPECT_EQ(bolt.fields[0].name, "d");
  EXPECT_EQ(bolt.fields[1].type[0].kind, TypeKind::literal);
  EXPECT_EQ(bolt.fields[2].type[0].elements[0].name, "Force3");
  EXPECT_EQ(bolt.fields[3].type[0].kind, TypeKind::integer);
  const PortType nested = parsed("{joint: {F: Force3, M: Moment3}, _id2: str}");
  EXPECT_EQ(nested.fields[0].type[0].fields[1].name, "M");
  EXPECT_EQ(nested.fields[1].name, "_id2");
  // The inline struct of a Torsor's fields is the Torsor but for its name.
  PortType torsor = parsed("Torsor");
  torsor.name.clear();
  EXPECT_EQ(parsed("{F: Force3, M: Moment3}"), torsor);
}

TEST(TypeParser, WhiteSpaceIsAllowedBetweenTokens) {
  EXPECT_EQ(parsed("  list [ Force ]  "), parsed("list[Force]"));
  EXPECT_EQ(parsed("dict[\n str ,\tFloat\r]"), parsed("dict[str, Float]"));
  EXPECT_EQ(parsed("{ F : Force3 , M : Moment3 }"), parsed("{F: Force3, M: Moment3}"));
  EXPECT_EQ(parsed("literal[ 1 ,2 ]"), parsed("literal[1, 2]"));
  EXPECT_EQ(parsed("File [ csv ]"), parsed("File[csv]"));
}

TEST(TypeParser, TheSpellingParsesBackToTheSameType) {
  for (const char* text :
       {"Float", "Force", "Torsor", "Matrix", "Vector3", "list[Length]", "dict[str, Stress]", "literal[8.8, 10.9]",
        "literal[10.0, 1e300, 3]", R"(literal["a\"b", "\\", "é"])", "{F: Force3, M: Moment3}", "File",
        "File[csv, step]", "{a: list[dict[str, {b: literal[1, \"x\"]}]]}"}) {
    const PortType type = parsed(text);
    const std::string spelling = type.spelling();
    EXPECT_EQ(parsed(spelling), type) << text << " spelled " << spelling;
  }
  EXPECT_EQ(parsed("List[ float ]").spelling(), "list[Float]");
  EXPECT_EQ(parsed("literal[10.0, 1e300, 3, -0.0, 0.1]").spelling(), "literal[10.0, 1e+300, 3, -0.0, 0.1]");
  EXPECT_EQ(parsed("{F:Force3,M:Moment3}").spelling(), "{F: Force3, M: Moment3}");
}

TEST(TypeParser, MakeStructureKeepsTheFieldsInOrder) {
  const PortType made = make_structure({{"z", {parsed("Force")}}, {"a", {parsed("Length")}}});
  EXPECT_EQ(made.kind, TypeKind::structure);
  EXPECT_TRUE(made.name.empty());
  ASSERT_EQ(made.fields.size(), 2u);
  EXPECT_EQ(made.fields[0].name, "z");
  EXPECT_EQ(made, parsed("{z: Force, a: Length}"));
}

TEST(TypeParserErrors, UnknownNamesGetADidYouMean) {
  expect_problem("Forse", 0, "unknown type 'Forse'; did you mean 'Force'?");
  expect_problem("force", 0, "did you mean 'Force'?");
  expect_problem("list[Lenght]", 5, "did you mean 'Length'?");
  expect_problem("{F: Torser}", 4, "did you mean 'Torsor'?");
  expect_problem("file[csv]", 0, "did you mean 'File'?");
  expect_problem("LIST[Float]", 0, "did you mean 'list'?");
  expect_problem("Xyzzy", 0, "write a catalogue type such as Float");
  expect_problem("Optional[Float]", 0, "required: false");
  expect_problem("tuple[Float]", 0, "list[T]");
}

TEST(TypeParserErrors, MissingOrMisplacedPieces) {
  expect_problem("", 0, "expected a type");
  expect_problem("   ", 3, "expected a type");
  expect_problem("list", 4, "list needs one element type: list[Float]");
  expect_problem("list[]", 5, "expected a type");
  expect_problem("list[Float, Float]", 10, "list takes one element type");
  expect_problem("list[Float", 10, "expected ']' to close list[Float");
  expect_problem("dict", 4, "dict[str, Float]");
  expect_problem("dict[int, Float]", 5, "dict keys are strings");
  expect_problem("dict[str]", 8, "dict needs a value type");
  expect_problem("Force[kN]", 5, "'Force' takes no parameters");
  expect_problem("Float Float", 6, "unexpected 'F' after the type Float");
  expect_problem("Float]", 5, "unexpected ']'");
  expect_problem("[Float]", 0, "expected a type at '['");
}

TEST(TypeParserErrors, Literals) {
  expect_problem("literal", 7, "literal needs its values");
  expect_problem("literal[]", 8, "at least one value");
  expect_problem("literal[fast, safe]", 8, "write literal strings in quotes: literal[\"fast\"]");
  expect_problem("literal[1.2.3]", 8, "'1.2.3' is not a number");
  expect_problem("literal[1e400]", 8, "'1e400' is not a number");
  expect_problem("literal[99999999999999999999]", 8, "out of range");
  expect_problem("literal[1, 1.0]", 11, "literal value 1.0 appears twice");
  expect_problem(R"(literal["a", "a"])", 13, "appears twice");
  expect_problem(R"(literal["abc])", 8, "unterminated string");
  expect_problem("literal['abc]", 8, "unterminated string");
  expect_problem(R"(literal["\q"])", 8, "malformed string");
  expect_problem("literal[1 2]", 10, "expected ',' or ']'");
  expect_problem("literal[1,", 10, "expected a value");
}

TEST(TypeParserErrors, Files) {
  expect_problem("File[.csv]", 5, "without dots");
  expect_problem("File[csv, tar.gz]", 10, "without dots");
  expect_problem("File[]", 5, "needs at least one extension");
  expect_problem("File[csv;step]", 8, "expected ',' or ']'");
  expect_problem("File[csv, ]", 10, "expected a file extension");
}

TEST(TypeParserErrors, Structs) {
  expect_problem("{}", 1, "a struct needs at least one field");
  expect_problem("{F: Force, F: Moment}", 11, "field 'F' appears twice");
  expect_problem("{F Force}", 3, "expected ':' after field 'F'");
  expect_problem("{1a: Force}", 1, "expected a field name");
  expect_problem("{F: Force", 9, "expected ',' or '}' after field 'F'");
  expect_problem("{F: Force,}", 10, "expected a field name");
  expect_problem("{F: }", 4, "expected a type");
}

TEST(TypeParserErrors, HostileSizesAreRefusedNotFollowed) {
  std::string nested;
  for (int i = 0; i < 32; ++i) nested += "list[";
  nested += "Float";
  for (int i = 0; i < 32; ++i) nested += "]";
  EXPECT_EQ(parsed(nested).kind, TypeKind::list);  // 32 levels are fine

  const std::string deeper = "list[" + nested + "]";
  expect_problem(deeper, std::size_t{33} * 5, "nested too deeply");

  std::string bomb;
  for (int i = 0; i < 800; ++i) bomb += "{a:";
  expect_problem(bomb, std::size_t{33} * 3, "nested too deeply");

  const std::string huge = "literal[" + std::string(5000, '1') + "]";
  expect_problem(huge, 4096, "at most 4096 bytes");
}

}  // namespace
}  // namespace mecapy::packages
