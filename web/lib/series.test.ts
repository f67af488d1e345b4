import { describe, expect, it } from "vitest";
import type { Port } from "./jobs";
import { detectCharts, unitOf } from "./series";

const listOf = (unit?: string): Port["type"] => ({ kind: "list", element: unit ? { kind: "quantity", unit } : { kind: "float" } });

describe("detectCharts", () => {
  it("draws make_plot_data's y against x as a line, with both axes", () => {
    const charts = detectCharts({ x: [0, 1, 2, 3], y: [0, 0.19866933079506122, 0.3894183423086505, 0.5646424733950354] }, {});
    expect(charts).toHaveLength(1);
    const [chart] = charts;
    expect(chart!.kind).toBe("line");
    expect(chart!.x).toMatchObject({ name: "x", label: "x" });
    expect(chart!.series.map((s) => s.name)).toEqual(["y"]);
    expect(chart!.data[1]).toEqual({ x: 1, y0: 0.19866933079506122 });
  });

  it("labels axes with units from the job, then from the declared element type", () => {
    const ports: Port[] = [
      { name: "t", type: listOf("s") },
      { name: "F", type: listOf("kN") },
    ];
    const [chart] = detectCharts({ t: [0, 0.5, 1], F: [1, 4, 9] }, { F: "N" }, ports);
    expect(chart!.x.label).toBe("t (s)");
    expect(chart!.yLabel).toBe("F (N)");
    expect(chart!.series[0]!.unit).toBe("N");
  });

  it("puts series of one unit on one chart and other units on their own", () => {
    const charts = detectCharts(
      { x: [1, 2, 3], a: [1, 2, 3], b: [3, 2, 1], c: [5, 5, 5] },
      { x: "mm", a: "MPa", b: "MPa", c: "N" },
    );
    expect(charts.map((c) => c.series.map((s) => s.name))).toEqual([["a", "b"], ["c"]]);
    expect(charts[0]!.yLabel).toBe("(MPa)");
    expect(charts.every((c) => c.x.label === "x (mm)")).toBe(true);
  });

  it("makes a scatter when the named x is not sorted", () => {
    const [chart] = detectCharts({ x: [3, 1, 2], y: [9, 1, 4] });
    expect(chart!.kind).toBe("scatter");
  });

  it("draws a lone series against its index", () => {
    const [chart] = detectCharts({ residuals: [0.5, 0.25, 0.125], steps: 3 });
    expect(chart!.x).toEqual({ key: "index", label: "index" });
    expect(chart!.data.map((p) => p.index)).toEqual([0, 1, 2]);
  });

  it("uses an increasing series as x when none is named like one", () => {
    const [chart] = detectCharts({ load: [0, 10, 20], deflection: [0, 0.2, 0.5] }, { load: "kN", deflection: "mm" });
    expect(chart!.x.name).toBe("load");
    expect(chart!.series.map((s) => s.name)).toEqual(["deflection"]);
  });

  it("ignores scalars, strings, short arrays and arrays with non-numbers", () => {
    expect(detectCharts({ F0_max: 25703.2, name: "M10", one: [1], mixed: [1, "a", 3], empty: [] })).toEqual([]);
  });

  it("finds series inside a struct output and draws pairs", () => {
    const charts = detectCharts({ curve: { x: [0, 1, 2], y: [2, 3, 5] }, points: [[2, 1], [1, 3]] });
    expect(charts.map((c) => [c.title, c.kind])).toEqual([
      ["curve.y against curve.x", "line"],
      ["points", "scatter"],
    ]);
    expect(charts[1]!.data).toEqual([
      { x: 2, y0: 1 },
      { x: 1, y0: 3 },
    ]);
  });
});

describe("unitOf", () => {
  it("reads a struct field's unit from the declared type", () => {
    const ports: Port[] = [{ name: "curve", type: { kind: "struct", fields: [{ name: "F", type: listOf("N") }] } }];
    expect(unitOf("curve.F", undefined, ports)).toBe("N");
    expect(unitOf("curve.G", undefined, ports)).toBeUndefined();
  });
});
