import { describe, expect, it } from "vitest";
import { buildFormModel, unitsFor } from "./model";
import { registerUnit } from "./units";
import type { Field, JsonSchema, TypeCatalog } from "./types";
import fixture from "./__fixtures__/every-input.json";

const catalog = fixture.catalog as unknown as TypeCatalog;
const model = buildFormModel(fixture.input_schema as JsonSchema, fixture.inputs, catalog);
const field = (name: string): Field => {
  const f = model.fields.find((x) => x.name === name);
  if (!f) throw new Error(`no field ${name}`);
  return f;
};

describe("buildFormModel on a real function answer", () => {
  it("keeps the manifest's order of inputs", () => {
    expect(model.fields.map((f) => f.name)).toEqual(fixture.inputs.map((p) => p.name));
  });

  it("reads a quantity: unit, bounds, description, suggested units (declared first)", () => {
    expect(field("length")).toMatchObject({
      kind: "quantity",
      quantity: "Length",
      unit: "mm",
      minimum: 1,
      maximum: 50,
      required: true,
      description: "A length",
    });
    const units = (field("length") as Extract<Field, { kind: "quantity" }>).units;
    expect(units[0]).toBe("mm");
    expect(units).toEqual(["mm", "m", "cm", "µm", "km", "in", "ft"]);
    expect(field("force")).toMatchObject({ kind: "quantity", unit: "kN", default: 1.2, required: false });
    expect((field("force") as Extract<Field, { kind: "quantity" }>).units.slice(0, 2)).toEqual(["kN", "N"]);
    expect(field("temp")).toMatchObject({ kind: "quantity", unit: "degC", minimum: -40, maximum: 120 });
  });

  it("takes required-ness from the JSON Schema (an input with a default is optional)", () => {
    expect(field("n").required).toBe(false);
    expect(field("mode").required).toBe(true);
    expect(field("x").required).toBe(false);
  });

  it("reads integers, floats, strings, booleans", () => {
    expect(field("n")).toMatchObject({ kind: "number", integer: true, minimum: 1, maximum: 10, default: 3 });
    expect(field("x")).toMatchObject({ kind: "number", integer: false });
    expect(field("name")).toMatchObject({ kind: "string", default: "abc" });
    expect(field("flag")).toMatchObject({ kind: "boolean", default: true });
  });

  it("turns literals and enums into selects", () => {
    const grade = field("grade") as Extract<Field, { kind: "select" }>;
    expect(grade.kind).toBe("select");
    expect(grade.options.map((o) => o.value)).toEqual([8.8, 10.9, 12.9]);
    expect(grade.options.map((o) => o.key)).toEqual(["8.8", "10.9", "12.9"]);
    const mode = field("mode") as Extract<Field, { kind: "select" }>;
    expect(mode.options).toEqual([
      { key: '"fast"', label: "fast", value: "fast" },
      { key: '"slow"', label: "slow", value: "slow" },
    ]);
    expect(field("color")).toMatchObject({ kind: "select", required: false });
  });

  it("reads lists of quantities and of structs", () => {
    const loads = field("loads") as Extract<Field, { kind: "list" }>;
    expect(loads.item).toMatchObject({ kind: "quantity", unit: "kN", minimum: 0 });
    const pts = field("pts") as Extract<Field, { kind: "list" }>;
    expect(pts.item.kind).toBe("struct");
    expect((pts.item as Extract<Field, { kind: "struct" }>).fields.map((f) => [f.name, f.kind, f.required])).toEqual([
      ["x", "quantity", true],
      ["y", "quantity", true],
    ]);
  });

  it("reads structs with per-field units and nested literals", () => {
    const flange = field("flange") as Extract<Field, { kind: "struct" }>;
    expect(flange.fields.map((f) => f.kind)).toEqual(["quantity", "quantity", "select"]);
    expect(flange.fields[0]).toMatchObject({ name: "d", unit: "mm" });
    const section = field("section") as Extract<Field, { kind: "struct" }>;
    expect(section.fields[0]).toMatchObject({ unit: "m" });
  });

  it("reads composites: Torsor, Vector3 (fixed size), Matrix (nested lists), dicts", () => {
    const torsor = field("torsor") as Extract<Field, { kind: "struct" }>;
    expect(torsor.fields[0]).toMatchObject({ kind: "list", minItems: 3, maxItems: 3, item: { kind: "quantity", unit: "N" } });
    expect(torsor.fields[1]).toMatchObject({ kind: "list", item: { kind: "quantity", unit: "N.m", quantity: "Moment" } });
    expect(field("v")).toMatchObject({ kind: "list", minItems: 3, maxItems: 3, item: { kind: "number", integer: false } });
    expect(field("m")).toMatchObject({ kind: "list", item: { kind: "list", item: { kind: "number" } } });
    expect(field("dd")).toMatchObject({ kind: "dict", item: { kind: "number" } });
  });

  it("reads File inputs with their extensions", () => {
    expect(field("mesh")).toMatchObject({ kind: "file", extensions: ["step", "stp"], required: false });
    expect(field("any")).toMatchObject({ kind: "file", extensions: [], required: true });
  });
});

describe("buildFormModel keywords", () => {
  const one = (schema: JsonSchema) =>
    buildFormModel({ type: "object", properties: { a: schema }, required: ["a"] }).fields[0]!;

  it("reads exclusive bounds in both drafts, and multipleOf", () => {
    expect(one({ type: "number", exclusiveMinimum: 0, exclusiveMaximum: 1 })).toMatchObject({
      exclusiveMinimum: 0,
      exclusiveMaximum: 1,
    });
    expect(one({ type: "number", minimum: 0, exclusiveMinimum: true, maximum: 5, exclusiveMaximum: true })).toMatchObject({
      exclusiveMinimum: 0,
      exclusiveMaximum: 5,
    });
    expect(one({ type: "number", multipleOf: 0.5 })).toMatchObject({ multipleOf: 0.5 });
  });

  it("reads string lengths and patterns", () => {
    expect(one({ type: "string", minLength: 2, maxLength: 5, pattern: "^[A-Z]+$" })).toMatchObject({
      kind: "string",
      minLength: 2,
      maxLength: 5,
      pattern: "^[A-Z]+$",
    });
  });

  it("reads const as a one-option select", () => {
    expect(one({ const: "x" })).toMatchObject({ kind: "select", options: [{ key: '"x"', value: "x" }] });
  });

  it("falls back to raw JSON for what it has no control for", () => {
    expect(one({ anyOf: [{ type: "number" }, { type: "string" }] } as JsonSchema).kind).toBe("json");
    expect(one({ type: "array", items: [{ type: "number" }] }).kind).toBe("json");
  });

  it("reads a nullable type", () => {
    expect(one({ type: ["number", "null"] }).kind).toBe("number");
  });

  it("uses the quantity's SI unit when the schema names none", () => {
    const f = buildFormModel({ type: "object", properties: { a: { type: "number", "x-quantity": "Force" } } }, [], catalog)
      .fields[0]!;
    expect(f).toMatchObject({ kind: "quantity", unit: "N", required: false });
  });
});

describe("unitsFor", () => {
  it("offers only the declared unit when it cannot convert it", () => {
    expect(unitsFor("Length", "furlong", catalog)).toEqual(["furlong"]);
  });
  it("offers only the declared unit without a catalogue", () => {
    expect(unitsFor("Length", "mm", undefined)).toEqual(["mm"]);
  });
  it("puts a declared unit outside the suggestions first, spelled as declared, once its factor is known", () => {
    expect(unitsFor("Stress", "N/mm^2", catalog)).toEqual(["N/mm^2"]);
    // What GET /types/conversion?from=N/mm^2&to=Pa answers, registered by the run page.
    registerUnit("N/mm^2", { dimension: "M L-1 T-2", factor: 1e6, offset: 0 });
    expect(unitsFor("Stress", "N/mm^2", catalog)).toEqual(["N/mm^2", "MPa", "Pa", "kPa", "GPa", "psi", "ksi"]);
  });
  it("does not repeat the declared unit in another spelling", () => {
    expect(unitsFor("Area", "mm^2", catalog)).toEqual(["mm^2", "m2", "cm2", "in2", "ft2"]);
  });
});
