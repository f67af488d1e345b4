import { beforeAll, describe, expect, it } from "vitest";
import { convert, convertible, declaredUnits, displayUnit, normalizeUnit, registerCatalogUnits, registerUnit, unitDef } from "./units";
import { formatNumber, parseNumber } from "./numbers";
import type { TypeCatalog } from "./types";
import fixture from "./__fixtures__/every-input.json";

// The factors are the server's (the fixture is a real catalogue answer): nothing is known
// before they are registered.
describe("units", () => {
  it("knows no unit the server did not give", () => {
    expect(unitDef("furlong")).toBeUndefined();
  });

  beforeAll(() => registerCatalogUnits(fixture.catalog as unknown as TypeCatalog));

  it("knows every suggested unit of the catalogue", () => {
    for (const q of fixture.catalog.quantities) {
      for (const u of q.suggested_units) {
        expect(unitDef(u), `${q.name}: ${u}`).toBeDefined();
        expect(convertible(u, q.si_unit), `${q.name}: ${u} → ${q.si_unit}`).toBe(true);
      }
    }
  });

  // Values the server's UDUNITS gave for 1 of each unit in SI.
  it.each([
    [1, "cm", "mm", 10],
    [1, "in", "m", 0.0254],
    [1, "ft2", "m2", 0.09290304],
    [1, "L", "m3", 0.001],
    [1, "deg", "rad", 0.017453292519943295],
    [1, "lb", "kg", 0.45359237],
    [1, "lb/in3", "kg/m3", 27679.90471020311],
    [1, "rpm", "Hz", 1 / 60],
    [1, "kip", "N", 4448.2216152605],
    [1, "lbf.in", "N.m", 0.1129848290276167],
    [1, "psi", "Pa", 6894.757293168359],
    [1, "ksi", "MPa", 6.894757293168359],
    [1, "Btu", "J", 1055.05585262],
    [1, "hp", "W", 745.6999],
    [1, "km/h", "m/s", 0.2777777777777778],
    [1, "lbf/in", "N/m", 175.12683524647633],
    [1, "kN", "N", 1000],
    [2500, "N", "kN", 2.5],
  ])("converts %d %s to %s", (value, from, to, expected) => {
    expect(convert(value, from, to)).toBeCloseTo(expected, 9);
  });

  it("applies temperature offsets", () => {
    expect(convert(0, "degC", "K")).toBeCloseTo(273.15, 9);
    expect(convert(212, "degF", "degC")).toBeCloseTo(100, 9);
    expect(convert(-40, "degC", "degF")).toBeCloseTo(-40, 9);
    expect(convert(300, "K", "degC")).toBeCloseTo(26.85, 9);
  });

  it("takes a declared unit's factor from the server's conversion answer", () => {
    expect(convertible("N/mm^2", "MPa")).toBe(false);
    registerUnit("N/mm^2", { dimension: "M L-1 T-2", factor: 1e6, offset: 0 });
    expect(convert(150, "N/mm^2", "MPa")).toBeCloseTo(150, 12);
    expect(convert(1, "ksi", "N/mm^2")).toBeCloseTo(6.894757293168359, 9);
  });

  it("finds the declared units of a schema, nested ones too, each once", () => {
    const schema = {
      type: "object",
      properties: {
        d: { type: "number", "x-quantity": "Length", "x-unit": "mm" },
        loads: { type: "array", items: { type: "number", "x-quantity": "Force", "x-unit": "kN" } },
        joint: { type: "object", properties: { d2: { "x-quantity": "Length", "x-unit": "mm" }, n: { type: "integer" } } },
      },
    };
    expect(declaredUnits(schema)).toEqual([
      { unit: "mm", quantity: "Length" },
      { unit: "kN", quantity: "Force" },
    ]);
  });

  it("refuses other dimensions and unknown units", () => {
    expect(convert(1, "kg", "N")).toBeUndefined();
    expect(convert(1, "furlong", "m")).toBeUndefined();
    expect(convertible("mm", "kg")).toBe(false);
  });

  it("reads the usual spellings", () => {
    expect(normalizeUnit("mm^2")).toBe("mm2");
    expect(normalizeUnit("N·m")).toBe("N.m");
    expect(normalizeUnit("N*mm")).toBe("N.mm");
    expect(normalizeUnit("°C")).toBe("degC");
    expect(normalizeUnit("um")).toBe("µm");
    expect(normalizeUnit("μm")).toBe("µm");
  });

  it("writes units for reading", () => {
    expect(displayUnit("mm2")).toBe("mm²");
    expect(displayUnit("m3")).toBe("m³");
    expect(displayUnit("degC")).toBe("°C");
    expect(displayUnit("N.m")).toBe("N·m");
    expect(displayUnit("m/s2")).toBe("m/s²");
    expect(displayUnit("kN")).toBe("kN");
  });
});

describe("numbers", () => {
  it("parses what engineers type", () => {
    expect(parseNumber("1.5")).toBe(1.5);
    expect(parseNumber(" -2 ")).toBe(-2);
    expect(parseNumber("1e3")).toBe(1000);
    expect(parseNumber("0,15")).toBe(0.15);
    expect(parseNumber(".5")).toBe(0.5);
    expect(parseNumber("")).toBeUndefined();
    expect(parseNumber("   ")).toBeUndefined();
    expect(parseNumber("abc")).toBeNaN();
    expect(parseNumber("1.2.3")).toBeNaN();
    expect(parseNumber("1,000.5")).toBeNaN();
    expect(parseNumber("Infinity")).toBeNaN();
    expect(parseNumber("1e999")).toBeNaN();
  });

  it("formats without float noise", () => {
    expect(formatNumber(5.000000000000001)).toBe("5");
    expect(formatNumber(0.1 + 0.2)).toBe("0.3");
    expect(formatNumber(1e-7)).toBe("1e-7");
    expect(formatNumber(12345.678)).toBe("12345.678");
    expect(formatNumber(1.968503937007874, 6)).toBe("1.9685");
  });
});
