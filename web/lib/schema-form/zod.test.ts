import { describe, expect, it } from "vitest";
import { buildFormModel } from "./model";
import { defaultValues } from "./values";
import { buildZodSchema } from "./zod";
import type { FormValues, JsonSchema, TypeCatalog } from "./types";
import fixture from "./__fixtures__/every-input.json";

const catalog = fixture.catalog as unknown as TypeCatalog;

function issues(schema: JsonSchema, values: FormValues) {
  const result = buildZodSchema(buildFormModel(schema, [], catalog)).safeParse(values);
  return result.success ? [] : result.error.issues;
}

// The problems zod finds, as {field path: message}; a quantity's problems are at its
// number ("d.value"), written here as the field's path ("d").
function problems(schema: JsonSchema, values: FormValues): Record<string, string> {
  return Object.fromEntries(issues(schema, values).map((i) => [i.path.join(".").replace(/\.value$/, ""), i.message]));
}

const obj = (properties: Record<string, JsonSchema>, required: string[] = Object.keys(properties)): JsonSchema => ({
  type: "object",
  properties,
  required,
});

const length = (extra: Partial<JsonSchema> = {}): JsonSchema => ({
  type: "number",
  "x-quantity": "Length",
  "x-unit": "mm",
  ...extra,
});

describe("quantities", () => {
  const schema = obj({ d: length({ minimum: 1, maximum: 50 }) });

  it("reports a quantity's problem at its number, the control the form registers, every time", () => {
    expect(issues(schema, { d: { value: "51", unit: "mm" } }).map((i) => i.path)).toEqual([["d", "value"]]);
    const again = buildZodSchema(buildFormModel(schema, [], catalog));
    again.safeParse({ d: { value: "51", unit: "mm" } });
    expect(again.safeParse({ d: { value: "51", unit: "mm" } }).error?.issues.map((i) => i.path)).toEqual([["d", "value"]]);
    const nested = obj({ l: { type: "array", items: { type: "object", properties: { x: length() }, required: ["x"] } } });
    expect(issues(nested, { l: [{ v: { x: { value: "", unit: "mm" } } }] }).map((i) => i.path)).toEqual([["l", 0, "v", "x", "value"]]);
  });

  it("accepts a value inside the bounds", () => {
    expect(problems(schema, { d: { value: "12", unit: "mm" } })).toEqual({});
  });

  it("says which bound is broken, in the declared unit", () => {
    expect(problems(schema, { d: { value: "51", unit: "mm" } })).toEqual({ d: "Must be ≤ 50 mm" });
    expect(problems(schema, { d: { value: "0.5", unit: "mm" } })).toEqual({ d: "Must be ≥ 1 mm" });
  });

  it("converts a value in another unit before checking, and says the bound in both", () => {
    expect(problems(schema, { d: { value: "4", unit: "cm" } })).toEqual({});
    expect(problems(schema, { d: { value: "6", unit: "cm" } })).toEqual({ d: "Must be ≤ 5 cm (50 mm)" });
    expect(problems(schema, { d: { value: "2", unit: "in" } })).toEqual({ d: "Must be ≤ 1.9685 in (50 mm)" });
    expect(problems(schema, { d: { value: "0.0009", unit: "m" } })).toEqual({ d: "Must be ≥ 0.001 m (1 mm)" });
  });

  it("accepts a bound reached exactly through a conversion", () => {
    expect(problems(schema, { d: { value: "5", unit: "cm" } })).toEqual({});
    expect(problems(schema, { d: { value: "0.05", unit: "m" } })).toEqual({});
    expect(problems(schema, { d: { value: "0.1", unit: "cm" } })).toEqual({});
  });

  it("converts temperatures with their offsets", () => {
    const t = obj({ t: { type: "number", "x-quantity": "Temperature", "x-unit": "degC", minimum: -40, maximum: 120 } });
    expect(problems(t, { t: { value: "300", unit: "K" } })).toEqual({});
    expect(problems(t, { t: { value: "400", unit: "K" } })).toEqual({ t: "Must be ≤ 393.15 K (120 °C)" });
    expect(problems(t, { t: { value: "-50", unit: "degF" } })).toEqual({ t: "Must be ≥ -40 °F (-40 °C)" });
  });

  it("requires a required quantity, and not an optional one", () => {
    expect(problems(schema, { d: { value: "", unit: "mm" } })).toEqual({ d: "Required" });
    expect(problems(obj({ d: length() }, []), { d: { value: " ", unit: "mm" } })).toEqual({});
  });

  it("refuses text that is not a number", () => {
    expect(problems(schema, { d: { value: "12 mm", unit: "mm" } })).toEqual({ d: "Must be a number" });
  });

  it("leaves a unit it cannot convert to the server", () => {
    expect(problems(schema, { d: { value: "1000", unit: "furlong" } })).toEqual({});
  });

  it("checks exclusive bounds and multipleOf", () => {
    const s = obj({ p: length({ exclusiveMinimum: 0, exclusiveMaximum: 10, multipleOf: 0.5 }) });
    expect(problems(s, { p: { value: "0", unit: "mm" } })).toEqual({ p: "Must be > 0 mm" });
    expect(problems(s, { p: { value: "10", unit: "mm" } })).toEqual({ p: "Must be < 10 mm" });
    expect(problems(s, { p: { value: "1", unit: "cm" } })).toEqual({ p: "Must be < 1 cm (10 mm)" });
    expect(problems(s, { p: { value: "0.7", unit: "mm" } })).toEqual({ p: "Must be a multiple of 0.5 mm" });
    expect(problems(s, { p: { value: "2.5", unit: "mm" } })).toEqual({});
  });
});

describe("plain numbers", () => {
  it("checks integers", () => {
    const s = obj({ n: { type: "integer", minimum: 1, maximum: 10 } });
    expect(problems(s, { n: "3" })).toEqual({});
    expect(problems(s, { n: "2.5" })).toEqual({ n: "Must be a whole number" });
    expect(problems(s, { n: "0" })).toEqual({ n: "Must be ≥ 1" });
    expect(problems(s, { n: "11" })).toEqual({ n: "Must be ≤ 10" });
    expect(problems(s, { n: "" })).toEqual({ n: "Required" });
    expect(problems(s, { n: "x" })).toEqual({ n: "Must be a number" });
  });

  it("checks floats with a decimal comma", () => {
    const s = obj({ mu: { type: "number", minimum: 0.05, maximum: 0.6 } });
    expect(problems(s, { mu: "0,15" })).toEqual({});
    expect(problems(s, { mu: "0,7" })).toEqual({ mu: "Must be ≤ 0.6" });
  });

  it("checks multipleOf without float noise", () => {
    const s = obj({ x: { type: "number", multipleOf: 0.1 } });
    expect(problems(s, { x: "0.3" })).toEqual({});
    expect(problems(s, { x: "0.35" })).toEqual({ x: "Must be a multiple of 0.1" });
  });
});

describe("strings", () => {
  const s = obj({ s: { type: "string", minLength: 2, maxLength: 4, pattern: "^[A-Z]+$" } });
  it("checks lengths (in characters) and patterns", () => {
    expect(problems(s, { s: "AB" })).toEqual({});
    expect(problems(s, { s: "A" })).toEqual({ s: "Must be at least 2 characters" });
    expect(problems(s, { s: "ABCDE" })).toEqual({ s: "Must be at most 4 characters" });
    expect(problems(s, { s: "ab" })).toEqual({ s: "Must match the pattern ^[A-Z]+$" });
    expect(problems(obj({ s: { type: "string", maxLength: 2 } }), { s: "😀😀" })).toEqual({});
  });
  it("requires a required string and not an optional one", () => {
    expect(problems(s, { s: "" })).toEqual({ s: "Required" });
    expect(problems(obj({ s: { type: "string", minLength: 3 } }, []), { s: "" })).toEqual({});
  });
  it("leaves a pattern JavaScript cannot read to the server", () => {
    expect(problems(obj({ s: { type: "string", pattern: "(?<!" } }), { s: "x" })).toEqual({});
  });
});

describe("enums and literals", () => {
  const s = obj({ g: { enum: [8.8, 10.9, 12.9] }, c: { type: "string", enum: ["red", "blue"] } }, ["g"]);
  it("accepts an option and requires a required one", () => {
    expect(problems(s, { g: "10.9", c: "" })).toEqual({});
    expect(problems(s, { g: "", c: "" })).toEqual({ g: "Choose one of the options" });
  });
  it("refuses a value that is not an option", () => {
    expect(problems(s, { g: "9", c: '"green"' })).toEqual({
      g: "Must be one of 8.8, 10.9, 12.9",
      c: "Must be one of red, blue",
    });
  });
  it("checks const", () => {
    expect(problems(obj({ k: { const: 1 } }), { k: "2" })).toEqual({ k: "Must be one of 1" });
  });
});

describe("booleans", () => {
  it("accepts true and false", () => {
    expect(problems(obj({ b: { type: "boolean" } }), { b: false })).toEqual({});
    expect(problems(obj({ b: { type: "boolean" } }), { b: "yes" } as unknown as FormValues)).not.toEqual({});
  });
});

describe("structs", () => {
  const section = (required: string[]) =>
    obj(
      {
        s: {
          type: "object",
          properties: { d: length({ minimum: 1 }), p: length() },
          required: ["d", "p"],
        },
      },
      required,
    );

  it("checks each field of a required struct at its path", () => {
    expect(problems(section(["s"]), { s: { d: { value: "0", unit: "mm" }, p: { value: "", unit: "mm" } } })).toEqual({
      "s.d": "Must be ≥ 1 mm",
      "s.p": "Required",
    });
  });

  it("lets an optional struct be left blank, and requires all its fields once one is filled", () => {
    const blank = { s: { d: { value: "", unit: "mm" }, p: { value: "", unit: "mm" } } };
    expect(problems(section([]), blank)).toEqual({});
    expect(problems(section([]), { s: { d: { value: "2", unit: "mm" }, p: { value: "", unit: "mm" } } })).toEqual({
      "s.p": "Required",
    });
  });

  it("checks structs nested in structs", () => {
    const s = obj({ outer: { type: "object", properties: { inner: obj({ n: { type: "integer" } }) }, required: ["inner"] } });
    expect(problems(s, { outer: { inner: { n: "1.5" } } })).toEqual({ "outer.inner.n": "Must be a whole number" });
  });
});

describe("lists", () => {
  const loads = (extra: Partial<JsonSchema> = {}, required = ["l"]) =>
    obj({ l: { type: "array", items: { type: "number", "x-quantity": "Force", "x-unit": "kN", minimum: 0 }, ...extra } }, required);
  const rows = (...values: string[]) => values.map((value) => ({ v: { value, unit: "kN" } }));

  it("checks every row's bounds and presence", () => {
    expect(problems(loads(), { l: rows("1", "-1", "") })).toEqual({ "l.1.v": "Must be ≥ 0 kN", "l.2.v": "Required" });
  });

  it("checks the number of rows", () => {
    expect(problems(loads({ minItems: 2, maxItems: 3 }), { l: rows("1") })).toEqual({ l: "Needs at least 2 rows" });
    expect(problems(loads({ minItems: 2, maxItems: 3 }), { l: rows("1", "2", "3", "4") })).toEqual({ l: "At most 3 rows" });
    expect(problems(loads({ minItems: 2, maxItems: 3 }), { l: rows("1", "2") })).toEqual({});
  });

  it("lets an optional list have no rows", () => {
    expect(problems(loads({ minItems: 2 }, []), { l: [] })).toEqual({});
  });

  it("checks lists of structs and lists of lists", () => {
    const pts = obj({
      p: { type: "array", items: { type: "object", properties: { x: length(), y: length() }, required: ["x", "y"] } },
    });
    expect(problems(pts, { p: [{ v: { x: { value: "1", unit: "mm" }, y: { value: "", unit: "mm" } } }] })).toEqual({
      "p.0.v.y": "Required",
    });
    const matrix = obj({ m: { type: "array", items: { type: "array", items: { type: "number" }, minItems: 2 } } });
    expect(problems(matrix, { m: [{ v: [{ v: "1" }, { v: "x" }] }, { v: [{ v: "1" }] }] })).toEqual({
      "m.0.v.1.v": "Must be a number",
      "m.1.v": "Needs at least 2 rows",
    });
  });
});

describe("dicts", () => {
  const s = obj({ d: { type: "object", additionalProperties: { type: "number", maximum: 1 } } });
  it("checks names and values", () => {
    expect(problems(s, { d: [{ key: "a", v: "0.5" }] })).toEqual({});
    expect(problems(s, { d: [{ key: "", v: "0.5" }, { key: "b", v: "2" }, { key: "b", v: "1" }] })).toEqual({
      "d.0.key": "Name required",
      "d.1.v": "Must be ≤ 1",
      "d.2.key": "This name is already used",
    });
  });
  it("requires a row in a required dict", () => {
    expect(problems(s, { d: [] })).toEqual({ d: "Needs at least 1 row" });
  });
});

describe("files", () => {
  const s = obj({ mesh: { type: "string", "x-file": true, "x-file-extensions": ["step", "stp"] }, any: { type: "string", "x-file": true } }, ["any"]);
  it("requires a required file and checks extensions case-insensitively", () => {
    expect(problems(s, { mesh: { id: "", name: "" }, any: { id: "", name: "" } })).toEqual({ any: "Choose a file" });
    expect(problems(s, { mesh: { id: "f1", name: "part.STP" }, any: { id: "f2", name: "x" } })).toEqual({});
    expect(problems(s, { mesh: { id: "f1", name: "part.csv" }, any: { id: "f2", name: "x" } })).toEqual({
      mesh: "Must be a .step or .stp file",
    });
  });
});

describe("raw JSON", () => {
  const s = obj({ j: { anyOf: [{ type: "number" }, { type: "string" }] } as JsonSchema });
  it("requires valid JSON", () => {
    expect(problems(s, { j: "12" })).toEqual({});
    expect(problems(s, { j: "{" })).toEqual({ j: "Must be valid JSON" });
  });
});

describe("the defaults of the real function", () => {
  it("leave exactly the required inputs without a default to fill", () => {
    const model = buildFormModel(fixture.input_schema as JsonSchema, fixture.inputs, catalog);
    const result = buildZodSchema(model).safeParse(defaultValues(model));
    expect(result.success).toBe(false);
    const paths = result.error!.issues.map((i) => i.path.join(".")).sort();
    expect(paths).toEqual(["any", "flange.d.value", "flange.grade", "flange.t.value", "length.value", "mode", "section.d.value", "section.p.value"]);
  });
});
