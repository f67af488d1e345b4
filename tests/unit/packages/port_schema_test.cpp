// port_schema, ports_schema and type_catalog: the JSON Schemas generated for each kind
// of type, bounds, enums and annotations; and sample values checked against them with
// valijson (draft 7), so the schemas are shown to accept and refuse what they should.
#include <gtest/gtest.h>
#include <valijson/adapters/boost_json_adapter.hpp>
#include <valijson/schema.hpp>
#include <valijson/schema_parser.hpp>
#include <valijson/validator.hpp>

#include <string>

#include "core/json.hpp"
#include "packages/port.hpp"
#include "packages/quantity_catalog.hpp"

namespace mecapy::packages {
namespace {

PortType type_of(std::string_view text) {
  auto result = parse_port_type(text);
  if (const TypeProblem* problem = std::get_if<TypeProblem>(&result)) {
    ADD_FAILURE() << text << ": " << problem->message;
    return {};
  }
  return std::get<PortType>(std::move(result));
}

Port port(std::string name, std::string_view type) {
  Port p;
  p.name = std::move(name);
  p.type = type_of(type);
  return p;
}

boost::json::object without_type_annotation(boost::json::object schema) {
  schema.erase("x-type");
  return schema;
}

bool valid(const boost::json::object& schema_json, std::string_view value_json) {
  const boost::json::value schema_value(schema_json);
  valijson::Schema schema;
  valijson::SchemaParser parser;
  valijson::adapters::BoostJsonAdapter schema_adapter(schema_value);
  parser.populateSchema(schema_adapter, schema);
  const boost::json::value value = parse_json(value_json);
  valijson::adapters::BoostJsonAdapter value_adapter(value);
  valijson::Validator validator;
  return validator.validate(schema, value_adapter, nullptr);
}

TEST(PortSchema, Primitives) {
  EXPECT_EQ(without_type_annotation(port_schema(port("x", "Float"))), parse_json(R"({"type": "number"})"));
  EXPECT_EQ(without_type_annotation(port_schema(port("x", "Numeric"))), parse_json(R"({"type": "number"})"));
  EXPECT_EQ(without_type_annotation(port_schema(port("x", "Integer"))), parse_json(R"({"type": "integer"})"));
  EXPECT_EQ(without_type_annotation(port_schema(port("x", "bool"))), parse_json(R"({"type": "boolean"})"));
  EXPECT_EQ(without_type_annotation(port_schema(port("x", "str"))), parse_json(R"({"type": "string"})"));
  EXPECT_EQ(port_schema(port("x", "int")).at("x-type"), "Integer");
}

TEST(PortSchema, QuantitiesCarryTheirQuantityAndUnit) {
  Port d = port("d", "Length");
  ASSERT_FALSE(apply_unit(d.type, "mm"));
  EXPECT_EQ(without_type_annotation(port_schema(d)),
            parse_json(R"({"type": "number", "x-quantity": "Length", "x-unit": "mm"})"));
  EXPECT_EQ(port_schema(port("F", "Force")).at("x-unit"), "N");
}

TEST(PortSchema, ConstructedTypes) {
  EXPECT_EQ(without_type_annotation(port_schema(port("x", "literal[8.8, 10.9]"))),
            parse_json(R"({"enum": [8.8, 10.9]})"));
  EXPECT_EQ(without_type_annotation(port_schema(port("x", "list[Float]"))),
            parse_json(R"({"type": "array", "items": {"type": "number"}})"));
  EXPECT_EQ(without_type_annotation(port_schema(port("x", "Vector3"))),
            parse_json(R"({"type": "array", "items": {"type": "number"}, "minItems": 3, "maxItems": 3})"));
  EXPECT_EQ(without_type_annotation(port_schema(port("x", "dict[str, Integer]"))),
            parse_json(R"({"type": "object", "additionalProperties": {"type": "integer"}})"));
  EXPECT_EQ(without_type_annotation(port_schema(port("x", "{a: Float, b: str}"))), parse_json(R"({
      "type": "object",
      "properties": {"a": {"type": "number"}, "b": {"type": "string"}},
      "required": ["a", "b"],
      "additionalProperties": false})"));
  EXPECT_EQ(without_type_annotation(port_schema(port("x", "File[csv, STEP]"))),
            parse_json(R"({"type": "string", "x-file": true, "x-file-extensions": ["csv", "step"]})"));
  EXPECT_EQ(without_type_annotation(port_schema(port("x", "File"))),
            parse_json(R"({"type": "string", "x-file": true, "x-file-extensions": []})"));
}

TEST(PortSchema, TorsorIsAStructOfTwoFixedLists) {
  const boost::json::object schema = port_schema(port("load", "Torsor"));
  EXPECT_EQ(schema.at("x-type"), "Torsor");
  EXPECT_EQ(schema.at("required"), parse_json(R"(["F", "M"])"));
  EXPECT_EQ(schema.at("properties").at("F"), parse_json(R"({"type": "array", "minItems": 3, "maxItems": 3,
      "items": {"type": "number", "x-quantity": "Force", "x-unit": "N"}})"));
  EXPECT_EQ(schema.at("properties").at("M").at("items").at("x-unit"), "N.m");
  EXPECT_TRUE(valid(schema, R"({"F": [1, 2, 3], "M": [0, 0, 1.5]})"));
  EXPECT_FALSE(valid(schema, R"({"F": [1, 2], "M": [0, 0, 1.5]})"));
  EXPECT_FALSE(valid(schema, R"({"F": [1, 2, 3]})"));
  EXPECT_FALSE(valid(schema, R"({"F": [1, 2, 3], "M": [0, 0, 1], "extra": 1})"));
  EXPECT_FALSE(valid(schema, R"({"F": [1, 2, {"value": 3, "unit": "kN"}], "M": [0, 0, 1]})"));
}

TEST(PortSchema, BoundsApplyToTheNumbers) {
  Port d = port("d", "Length");
  d.minimum = 0.5;
  d.maximum = 100;
  boost::json::object schema = port_schema(d);
  EXPECT_EQ(schema.at("minimum"), 0.5);
  EXPECT_EQ(schema.at("maximum"), 100.0);
  EXPECT_TRUE(valid(schema, "0.5"));
  EXPECT_FALSE(valid(schema, "0.49"));
  EXPECT_FALSE(valid(schema, "100.01"));

  Port loads = port("loads", "list[Force]");
  loads.minimum = 0;
  schema = port_schema(loads);
  EXPECT_FALSE(schema.contains("minimum"));
  EXPECT_EQ(schema.at("items").at("minimum"), 0.0);
  EXPECT_TRUE(valid(schema, "[0, 1, 2]"));
  EXPECT_FALSE(valid(schema, "[0, -1, 2]"));

  Port matrix = port("k", "Matrix");
  matrix.maximum = 1;
  schema = port_schema(matrix);
  EXPECT_EQ(schema.at("items").at("items").at("maximum"), 1.0);
  EXPECT_FALSE(valid(schema, "[[0, 1], [2, 0]]"));

  Port table = port("t", "dict[str, Stress]");
  table.minimum = 0;
  schema = port_schema(table);
  EXPECT_EQ(schema.at("additionalProperties").at("minimum"), 0.0);
  EXPECT_FALSE(valid(schema, R"({"a": 1, "b": -1})"));

  Port joint = port("j", "Torsor");
  joint.minimum = 0;
  schema = port_schema(joint);
  EXPECT_EQ(serialize_json(schema).find("minimum"), std::string::npos);  // no number of its own to bound
}

TEST(PortSchema, EnumsAndAnnotations) {
  Port n = port("n", "Integer");
  n.enum_values = {4, 6, 8};
  n.description = "number of bolts";
  n.default_value = 6;
  const boost::json::object schema = port_schema(n);
  EXPECT_EQ(schema.at("enum"), parse_json("[4, 6, 8]"));
  EXPECT_EQ(schema.at("description"), "number of bolts");
  EXPECT_EQ(schema.at("default"), 6);
  EXPECT_TRUE(valid(schema, "6"));
  EXPECT_FALSE(valid(schema, "5"));

  Port grade = port("grade", "literal[8.8, 10.9, 12.9]");
  grade.enum_values = {8.8, 10.9};
  const boost::json::object both = port_schema(grade);
  EXPECT_EQ(both.at("enum"), parse_json("[8.8, 10.9, 12.9]"));
  EXPECT_TRUE(valid(both, "10.9"));
  EXPECT_FALSE(valid(both, "12.9"));  // in the type, not in the port's enum

  const boost::json::object bare = port_schema(port("x", "Float"));
  EXPECT_FALSE(bare.contains("description"));
  EXPECT_FALSE(bare.contains("default"));
  EXPECT_FALSE(bare.contains("enum"));
}

TEST(PortSchema, PortsSchemaRequiresThePortsWithoutDefault) {
  Port d = port("d", "Length");
  Port n = port("n", "Integer");
  n.default_value = 4;
  Port note = port("note", "String");
  note.required = false;
  const boost::json::object schema = ports_schema({d, n, note});
  EXPECT_EQ(schema.at("type"), "object");
  EXPECT_EQ(schema.at("additionalProperties"), false);
  EXPECT_EQ(schema.at("required"), parse_json(R"(["d"])"));
  EXPECT_EQ(schema.at("properties").at("n"), port_schema(n));
  EXPECT_TRUE(valid(schema, R"({"d": 12})"));
  EXPECT_TRUE(valid(schema, R"({"d": 12, "n": 8, "note": "x"})"));
  EXPECT_FALSE(valid(schema, R"({"n": 8})"));
  EXPECT_FALSE(valid(schema, R"({"d": 12, "other": 1})"));
  EXPECT_FALSE(valid(schema, R"({"d": "12"})"));
  EXPECT_FALSE(valid(schema, R"({"d": 12, "n": 8.5})"));
}

TEST(PortSchema, SampleValuesOfEveryKind) {
  EXPECT_TRUE(valid(port_schema(port("x", "dict[str, Force3]")), R"({"a": [1, 2, 3], "b": [0, 0, 0]})"));
  EXPECT_FALSE(valid(port_schema(port("x", "dict[str, Force3]")), R"({"a": [1, 2, 3, 4]})"));
  EXPECT_TRUE(valid(port_schema(port("x", R"(literal["fast", "safe"])")), R"("safe")"));
  EXPECT_FALSE(valid(port_schema(port("x", R"(literal["fast", "safe"])")), R"("slow")"));
  EXPECT_TRUE(valid(port_schema(port("x", "File[csv]")), R"("f_01HZX")"));
  EXPECT_FALSE(valid(port_schema(port("x", "File[csv]")), "12"));
  EXPECT_TRUE(valid(port_schema(port("x", "Matrix")), "[[1, 0], [0, 1]]"));
  EXPECT_FALSE(valid(port_schema(port("x", "Matrix")), "[1, 0]"));
  EXPECT_FALSE(valid(port_schema(port("x", "Boolean")), "1"));
}

TEST(TypeCatalog, ListsEveryTypeWithItsSchema) {
  const boost::json::object catalog = type_catalog();
  ASSERT_NO_THROW(serialize_json(catalog));
  for (const char* key : {"primitives", "quantities", "composites", "constructors", "value_forms"}) {
    EXPECT_TRUE(catalog.contains(key)) << key;
  }
  const boost::json::array& listed = catalog.at("quantities").as_array();
  ASSERT_EQ(listed.size(), quantities().size());
  for (std::size_t i = 0; i < listed.size(); ++i) {
    const Quantity& quantity = quantities()[i];
    EXPECT_EQ(listed[i].at("name"), quantity.name.c_str());
    EXPECT_EQ(listed[i].at("dimension"), quantity.dimension.c_str());
    EXPECT_EQ(listed[i].at("si_unit"), quantity.si_unit.c_str());
    EXPECT_EQ(listed[i].at("suggested_units").as_array().size(), quantity.suggested_units.size());
    EXPECT_EQ(listed[i].at("schema").at("x-unit"), quantity.si_unit.c_str());
    EXPECT_EQ(listed[i].at("conversions").as_object().size(), quantity.suggested_units.size()) << quantity.name;
  }
  // The factors are UDUNITS-2's: exact for the SI unit itself and for decimal prefixes,
  // offsets for temperatures only.
  const auto quantity_named = [&](std::string_view name) -> const boost::json::object& {
    for (const auto& q : listed)
      if (q.at("name").as_string() == name) return q.at("conversions").as_object();
    throw std::runtime_error("no quantity " + std::string(name));
  };
  EXPECT_EQ(quantity_named("Force").at("N").at("factor").as_double(), 1.0);
  EXPECT_EQ(quantity_named("Force").at("kN").at("factor").as_double(), 1000.0);
  EXPECT_EQ(quantity_named("Force").at("kN").at("offset").as_double(), 0.0);
  EXPECT_DOUBLE_EQ(quantity_named("Length").at("in").at("factor").as_double(), 0.0254);
  EXPECT_DOUBLE_EQ(quantity_named("Temperature").at("degC").at("offset").as_double(), 273.15);
  EXPECT_DOUBLE_EQ(quantity_named("Temperature").at("degC").at("factor").as_double(), 1.0);
  const boost::json::array& primitives = catalog.at("primitives").as_array();
  ASSERT_EQ(primitives.size(), 5u);
  EXPECT_EQ(primitives[1].at("name"), "Integer");
  EXPECT_EQ(primitives[1].at("aliases"), parse_json(R"(["int"])"));
  EXPECT_EQ(primitives[1].at("schema").at("type"), "integer");
}

TEST(TypeCatalog, CompositeSpellingsAndConstructorExamplesParse) {
  const boost::json::object catalog = type_catalog();
  for (const boost::json::value& composite : catalog.at("composites").as_array()) {
    const std::string name(composite.at("name").as_string());
    PortType expansion = type_of(composite.at("spelling").as_string());
    PortType named = type_of(name);
    named.name.clear();
    if (composite.as_object().contains("size")) {
      EXPECT_EQ(composite.at("size").to_number<std::size_t>(), named.fixed_size.value_or(0)) << name;
      expansion.fixed_size = named.fixed_size;  // the grammar has no fixed-length list: the size says it
    }
    EXPECT_EQ(expansion, named) << name;
    EXPECT_EQ(composite.at("schema").at("x-type"), name.c_str());
  }
  EXPECT_EQ(catalog.at("composites").as_array()[3].at("spelling"), "{F: Force3, M: Moment3}");
  EXPECT_EQ(catalog.at("composites").as_array()[1].at("size"), 3);
  for (const boost::json::value& constructor : catalog.at("constructors").as_array()) {
    const PortType example = type_of(constructor.at("example").as_string());
    Port p;
    p.type = example;
    EXPECT_EQ(constructor.at("schema"), port_schema(p)) << constructor.at("syntax");
  }
  const boost::json::array& forms = catalog.at("value_forms").as_array();
  ASSERT_EQ(forms.size(), 3u);
  EXPECT_TRUE(valid(forms[1].at("schema").as_object(), R"({"value": 12, "unit": "mm"})"));
  EXPECT_FALSE(valid(forms[1].at("schema").as_object(), R"({"value": 12})"));
  EXPECT_FALSE(valid(forms[1].at("schema").as_object(), R"({"value": 12, "unit": "mm", "x": 1})"));
}

}  // namespace
}  // namespace mecapy::packages
