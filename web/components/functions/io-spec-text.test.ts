import { describe, expect, it } from "vitest";
import type { Port, PortType } from "@/lib/packages";
import {
  allowedText,
  boundsText,
  defaultText,
  fileTypesText,
  isOptional,
  portSpecText,
  typeText,
  unitText,
  valueText,
} from "./io-spec-text";

const force: PortType = { kind: "quantity", spelling: "Force", name: "Force", quantity: "Force", unit: "N" };
const float: PortType = { kind: "float", spelling: "Float", name: "Float" };

describe("typeText", () => {
  it("is the server's spelling when there is one", () => {
    expect(typeText(force)).toBe("Force");
    expect(typeText({ kind: "list", spelling: "list[Force]", element: force })).toBe("list[Force]");
  });

  it("is built from the tree without one", () => {
    const struct: PortType = {
      kind: "struct",
      spelling: "",
      fields: [
        { name: "d", type: { kind: "quantity", spelling: "", name: "Length", unit: "mm" } },
        { name: "n", type: { kind: "list", spelling: "", element: { kind: "integer", spelling: "", name: "Integer" } } },
      ],
    };
    expect(typeText(struct)).toBe("{d: Length, n: list[Integer]}");
    expect(typeText({ kind: "literal", spelling: "", values: [8.8, "a"] })).toBe('literal[8.8, "a"]');
    expect(typeText({ kind: "file", spelling: "", extensions: ["step", "stp"] })).toBe("File[step, stp]");
  });
});

describe("unitText", () => {
  it("is a quantity's unit, or its elements'", () => {
    expect(unitText(force)).toBe("N");
    expect(unitText({ kind: "list", spelling: "list[Force]", element: { ...force, unit: "kN" } })).toBe("kN");
    expect(unitText(float)).toBe("");
  });
});

describe("boundsText", () => {
  const port = (p: Partial<Port>): Port => ({ name: "FA", type: force, ...p });
  it("writes both bounds with the unit", () => {
    expect(boundsText(port({ minimum: 0, maximum: 10000000 }))).toBe("0 ≤ FA ≤ 10000000 N");
  });
  it("writes one bound alone", () => {
    expect(boundsText(port({ minimum: 0.05, type: float, name: "mu" }))).toBe("mu ≥ 0.05");
    expect(boundsText(port({ maximum: 1, type: float, name: "phi" }))).toBe("phi ≤ 1");
  });
  it("says the bounds of a list hold for each element", () => {
    const loads: Port = { name: "loads", type: { kind: "list", spelling: "list[Force]", element: force }, minimum: 0 };
    expect(boundsText(loads)).toBe("each loads ≥ 0 N");
  });
  it("is empty without bounds", () => {
    expect(boundsText(port({}))).toBe("");
  });
});

describe("values", () => {
  it("writes a {value, unit} default as a quantity, a plain number with the port's unit", () => {
    expect(valueText({ value: 12, unit: "mm" })).toBe("12 mm");
    expect(defaultText({ name: "FT", type: force, default: 0 })).toBe("0 N");
    expect(defaultText({ name: "s", type: { kind: "string", spelling: "String" }, default: "x" })).toBe('"x"');
    expect(defaultText({ name: "s", type: float })).toBe("");
  });

  it("lists enum values and a literal's values", () => {
    expect(allowedText({ name: "g", type: { kind: "literal", spelling: "literal[8.8, 10.9]", values: [8.8, 10.9] } })).toBe(
      "8.8 | 10.9",
    );
    expect(allowedText({ name: "m", type: { kind: "string", spelling: "String" }, enum: ["a", "b"] })).toBe('"a" | "b"');
  });

  it("names the file types", () => {
    expect(fileTypesText({ kind: "file", spelling: "File[step, stp]", extensions: ["step", "stp"] })).toBe(".step, .stp");
    expect(fileTypesText({ kind: "file", spelling: "File", extensions: [] })).toBe("any file");
    expect(fileTypesText(force)).toBe("");
  });

  it("an input with a default is optional even when marked required", () => {
    expect(isOptional({ name: "FT", type: force, required: true, default: 0 })).toBe(true);
    expect(isOptional({ name: "FA", type: force, required: true })).toBe(false);
    expect(isOptional({ name: "m", type: force, required: false })).toBe(true);
  });
});

describe("portSpecText", () => {
  it("joins type, unit and bounds", () => {
    expect(portSpecText({ name: "FA", type: force, minimum: 0, maximum: 10 })).toBe("Force in N, 0 ≤ FA ≤ 10 N");
    expect(portSpecText({ name: "n", type: { kind: "integer", spelling: "Integer" } })).toBe("Integer");
    expect(portSpecText({ name: "mesh", type: { kind: "file", spelling: "File[step]", extensions: ["step"] } })).toBe(
      "File[step], .step",
    );
  });
});
