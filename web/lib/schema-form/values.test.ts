import { describe, expect, it } from "vitest";
import { buildFormModel } from "./model";
import { defaultValues, emptyValue, fromJson, toExecuteBody, valuesFromInputs } from "./values";
import { buildZodSchema } from "./zod";
import type { Field, FormValues, JsonSchema, TypeCatalog } from "./types";
import fixture from "./__fixtures__/every-input.json";

const catalog = fixture.catalog as unknown as TypeCatalog;
const model = buildFormModel(fixture.input_schema as JsonSchema, fixture.inputs, catalog);
const field = (name: string): Field => model.fields.find((f) => f.name === name)!;

// The real function's form, filled as an engineer would (every required input).
function filled(): FormValues {
  const v = defaultValues(model);
  v.length = { value: "12", unit: "mm" };
  v.mode = '"slow"';
  v.section = { d: { value: "0.01", unit: "m" }, p: { value: "1.5", unit: "mm" } };
  v.flange = { d: { value: "20", unit: "mm" }, t: { value: "4", unit: "mm" }, grade: "2" };
  v.any = { id: "file-1", name: "part.csv" };
  return v;
}

describe("defaults", () => {
  const v = defaultValues(model);
  it("prefill every default in its declared unit", () => {
    expect(v.force).toEqual({ value: "1.2", unit: "kN" });
    expect(v.temp).toEqual({ value: "20", unit: "degC" });
    expect(v.n).toBe("3");
    expect(v.name).toBe("abc");
    expect(v.flag).toBe(true);
    expect(v.grade).toBe("10.9");
  });
  it("leave the others empty, with the declared unit chosen", () => {
    expect(v.length).toEqual({ value: "", unit: "mm" });
    expect(v.x).toBe("");
    expect(v.mode).toBe("");
    expect(v.any).toEqual({ id: "", name: "" });
    expect(v.section).toEqual({ d: { value: "", unit: "m" }, p: { value: "", unit: "m" } });
  });
  it("give fixed-size lists their rows, optional lists none", () => {
    expect(v.v).toEqual([{ v: "" }, { v: "" }, { v: "" }]);
    expect((v.torsor as Record<string, unknown>).F).toHaveLength(3);
    expect(v.loads).toEqual([]);
    expect(v.dd).toEqual([]);
  });
  it("give a required list one row to start with", () => {
    const m = buildFormModel({ type: "object", properties: { l: { type: "array", items: { type: "number" } } }, required: ["l"] });
    expect(defaultValues(m).l).toEqual([{ v: "" }]);
  });
  it("read a struct's own default and defaults given with a unit", () => {
    const m = buildFormModel(
      {
        type: "object",
        properties: {
          s: { type: "object", properties: { a: { type: "number" }, b: { type: "boolean" } }, default: { a: 2, b: true } },
          d: { type: "number", "x-quantity": "Length", "x-unit": "mm", default: { value: 1, unit: "cm" } },
          e: { type: "number", "x-quantity": "Length", "x-unit": "mm", default: { value: 1, unit: "yd" } },
        },
      },
      [],
      catalog,
    );
    const d = defaultValues(m);
    expect(d.s).toEqual({ a: "2", b: true });
    expect(d.d).toEqual({ value: "1", unit: "cm" });
    expect(d.e).toEqual({ value: "1", unit: "yd" });
  });
});

describe("toExecuteBody", () => {
  it("sends numbers in the declared unit as plain numbers and files apart", () => {
    const body = toExecuteBody(model, filled());
    expect(body.files).toEqual({ any: "file-1" });
    expect(body.inputs).toEqual({
      length: 12,
      force: 1.2,
      temp: 20,
      n: 3,
      name: "abc",
      flag: true,
      grade: 10.9,
      mode: "slow",
      section: { d: 0.01, p: { value: 1.5, unit: "mm" } },
      flange: { d: 20, t: 4, grade: 2 },
    });
  });

  it("sends {value, unit} where another unit was chosen, at any depth", () => {
    const v = filled();
    v.length = { value: "1.2", unit: "cm" };
    v.temp = { value: "300", unit: "K" };
    v.loads = [{ v: { value: "1", unit: "kN" } }, { v: { value: "500", unit: "N" } }];
    v.pts = [{ v: { x: { value: "1", unit: "m" }, y: { value: "2", unit: "ft" } } }];
    const { inputs } = toExecuteBody(model, v);
    expect(inputs.length).toEqual({ value: 1.2, unit: "cm" });
    expect(inputs.temp).toEqual({ value: 300, unit: "K" });
    expect(inputs.loads).toEqual([1, { value: 500, unit: "N" }]);
    expect(inputs.pts).toEqual([{ x: 1, y: { value: 2, unit: "ft" } }]);
  });

  it("leaves out blank optional inputs, blank optional structs and lists", () => {
    const v = filled();
    v.force = { value: "", unit: "kN" };
    v.name = "";
    v.grade = "";
    const { inputs } = toExecuteBody(model, v);
    for (const name of ["force", "name", "grade", "x", "color", "loads", "pts", "torsor", "v", "m", "dd", "mesh"]) {
      expect(inputs, name).not.toHaveProperty(name);
    }
  });

  it("sends composites, matrices, dicts and a decimal comma", () => {
    const v = filled();
    v.v = [{ v: "1" }, { v: "0" }, { v: "-1" }];
    v.m = [{ v: [{ v: "1" }, { v: "2" }] }, { v: [{ v: "3" }, { v: "4,5" }] }];
    v.dd = [{ key: "a", v: "1" }, { key: "b c", v: "2" }];
    v.torsor = {
      F: [{ v: { value: "1", unit: "kN" } }, { v: { value: "0", unit: "N" } }, { v: { value: "0", unit: "N" } }],
      M: [{ v: { value: "0", unit: "N.m" } }, { v: { value: "0", unit: "N.m" } }, { v: { value: "5", unit: "N.m" } }],
    };
    v.mesh = { id: "file-2", name: "a.step" };
    const body = toExecuteBody(model, v);
    expect(body.inputs.v).toEqual([1, 0, -1]);
    expect(body.inputs.m).toEqual([[1, 2], [3, 4.5]]);
    expect(body.inputs.dd).toEqual({ a: 1, "b c": 2 });
    expect(body.inputs.torsor).toEqual({ F: [{ value: 1, unit: "kN" }, 0, 0], M: [0, 0, 5] });
    expect(body.files).toEqual({ any: "file-1", mesh: "file-2" });
  });

  it("sends an empty list for a required list without rows, and parses raw JSON", () => {
    const m = buildFormModel({
      type: "object",
      properties: { l: { type: "array", items: { type: "number" } }, j: { anyOf: [] } as JsonSchema, f: { type: "string", "x-file": true } },
      required: ["l"],
    });
    expect(toExecuteBody(m, { l: [], j: '{"a": [1]}', f: { id: "", name: "" } })).toEqual({ inputs: { l: [], j: { a: [1] } }, files: {} });
  });

  it("is accepted by the zod schema when filled", () => {
    expect(buildZodSchema(model).safeParse(filled()).success).toBe(true);
  });
});

describe("valuesFromInputs (run again)", () => {
  // A job's inputs as GET /jobs/{id} gives them: converted to the declared units.
  const inputs = {
    length: 6e0,
    mode: "fast",
    section: { d: 1e0, p: 2e-3 },
    flange: { d: 1e0, t: 2e0, grade: 2 },
    loads: [1e0, 3e-3],
    dd: { a: 1e0 },
    pts: [{ x: 1e0, y: 2e0 }],
    any: "dd0c7d80",
    force: 1.2,
    temp: 2e1,
    n: 3,
    name: "abc",
    flag: false,
    grade: 1.09e1,
  };
  const v = valuesFromInputs(model, inputs, { dd0c7d80: "forms-a.csv" });

  it("fills every input in its declared unit", () => {
    expect(v.length).toEqual({ value: "6", unit: "mm" });
    expect(v.section).toEqual({ d: { value: "1", unit: "m" }, p: { value: "0.002", unit: "m" } });
    expect(v.flange).toEqual({ d: { value: "1", unit: "mm" }, t: { value: "2", unit: "mm" }, grade: "2" });
    expect(v.loads).toEqual([{ v: { value: "1", unit: "kN" } }, { v: { value: "0.003", unit: "kN" } }]);
    expect(v.dd).toEqual([{ key: "a", v: "1" }]);
    expect(v.grade).toBe("10.9");
    expect(v.mode).toBe('"fast"');
    expect(v.flag).toBe(false);
  });

  it("names the files it knows", () => {
    expect(v.any).toEqual({ id: "dd0c7d80", name: "forms-a.csv" });
    expect(valuesFromInputs(model, { any: "zz" }).any).toEqual({ id: "zz", name: "zz" });
  });

  it("keeps defaults for inputs the job does not name", () => {
    expect(valuesFromInputs(model, {}).n).toBe("3");
  });

  it("gives back the same execute body", () => {
    const body = toExecuteBody(model, v);
    expect(body.inputs).toEqual(Object.fromEntries(Object.entries(inputs).filter(([k]) => k !== "any")));
    expect(body.files).toEqual({ any: "dd0c7d80" });
  });

  it("ignores values that do not fit", () => {
    expect(fromJson(field("grade"), 9.9)).toBe("");
    expect(fromJson(field("loads"), "nope")).toEqual(emptyValue(field("loads")));
    expect(fromJson(field("length"), "12")).toEqual({ value: "", unit: "mm" });
  });
});
