import { describe, expect, it } from "vitest";
import { buildFormModel } from "./model";
import { pointerToPath } from "./pointer";
import { defaultValues } from "./values";
import type { JsonSchema, TypeCatalog } from "./types";
import fixture from "./__fixtures__/every-input.json";

const model = buildFormModel(fixture.input_schema as JsonSchema, fixture.inputs, fixture.catalog as unknown as TypeCatalog);

describe("pointerToPath", () => {
  it("maps the pointers of a real 422 answer to the controls' paths (a quantity's number)", () => {
    // The pointers the server gave for a bad call of this function.
    expect(pointerToPath(model, "/length")).toBe("length.value");
    expect(pointerToPath(model, "/loads/2")).toBe("loads.2.v.value");
    expect(pointerToPath(model, "/flange/grade")).toBe("flange.grade");
    expect(pointerToPath(model, "/pts/0/y")).toBe("pts.0.v.y.value");
    expect(pointerToPath(model, "/section/p")).toBe("section.p.value");
    expect(pointerToPath(model, "/mesh")).toBe("mesh");
    expect(pointerToPath(model, "/torsor/F/1")).toBe("torsor.F.1.v.value");
    expect(pointerToPath(model, "/m/1/0")).toBe("m.1.v.0.v");
  });

  it("finds a dict's row by its name, ~ escapes decoded", () => {
    const values = defaultValues(model);
    values.dd = [{ key: "a", v: "1" }, { key: "b/c", v: "2" }];
    expect(pointerToPath(model, "/dd/b~1c", values)).toBe("dd.1.v");
    expect(pointerToPath(model, "/dd/zz", values)).toBe("dd");
  });

  it("stops at a leaf, and gives nothing for inputs the form does not have", () => {
    expect(pointerToPath(model, "/length/value")).toBe("length.value");
    expect(pointerToPath(model, "/nope")).toBeUndefined();
    expect(pointerToPath(model, "")).toBeUndefined();
  });
});

