// @vitest-environment node
import { describe, expect, it } from "vitest";
import { compareJobs, countDifferences, formatRelative, relativeDifference, valuesSame } from "./job-compare";

const a = {
  inputs: { d: 10, p: 1.5, grade: 8.8, mode: "fast", opts: { n: 1, tags: ["x"] } },
  outputs: { F0_max: 25703.2, sigma_eq: 576, As: 57.99 },
  inputUnits: { d: "mm", p: "mm" },
  outputUnits: { F0_max: "N", sigma_eq: "MPa", As: "mm^2" },
};
const b = {
  inputs: { d: 12, p: 1.5, grade: 8.8, mode: "fast", opts: { tags: ["x"], n: 1 }, extra: true },
  outputs: { F0_max: 39877.1, sigma_eq: 576.0000000000001, M_thread: 48 },
  inputUnits: { d: "mm", p: "mm" },
  outputUnits: { F0_max: "N", sigma_eq: "MPa", M_thread: "N.m" },
};

describe("compareJobs", () => {
  const rows = compareJobs(a, b);
  const row = (section: string, name: string) => rows.find((r) => r.section === section && r.name === name)!;

  it("lists inputs then outputs, the first job's keys first, then the keys only the second has", () => {
    expect(rows.map((r) => `${r.section}:${r.name}`)).toEqual([
      "input:d",
      "input:p",
      "input:grade",
      "input:mode",
      "input:opts",
      "input:extra",
      "output:F0_max",
      "output:sigma_eq",
      "output:As",
      "output:M_thread",
    ]);
  });

  it("marks differing numbers with their relative difference, and equal values as the same", () => {
    expect(row("input", "d").state).toBe("different");
    expect(row("input", "d").relativeDifference).toBeCloseTo(0.2, 12);
    expect(row("input", "p")).toMatchObject({ state: "same", relativeDifference: 0 });
    expect(row("input", "mode").state).toBe("same");
    expect(row("output", "F0_max").relativeDifference).toBeCloseTo((39877.1 - 25703.2) / 25703.2, 12);
  });

  it("tells apart numbers one rounding apart, and compares objects regardless of key order", () => {
    expect(row("output", "sigma_eq").state).toBe("different");
    expect(row("output", "sigma_eq").relativeDifference).toBe((576.0000000000001 - 576) / 576);
    expect(row("input", "opts").state).toBe("same");
  });

  it("says which job alone has a key, without a relative difference", () => {
    expect(row("input", "extra")).toMatchObject({ state: "only-b", a: { present: false }, b: { present: true, value: true } });
    expect(row("output", "As")).toMatchObject({ state: "only-a", relativeDifference: null, a: { unit: "mm^2" } });
    expect(row("output", "M_thread").state).toBe("only-b");
  });

  it("carries each side's unit", () => {
    expect(row("input", "d").a.unit).toBe("mm");
    expect(row("input", "grade").a.unit).toBeUndefined();
  });

  it("counts the rows that do not read the same", () => {
    expect(countDifferences(rows)).toBe(6); // d, extra, F0_max, sigma_eq, As, M_thread
  });

  it("never calls values in different units the same, nor gives them a relative difference", () => {
    const [r] = compareJobs(
      { inputs: { L: 1 }, outputs: {}, inputUnits: { L: "m" } },
      { inputs: { L: 1 }, outputs: {}, inputUnits: { L: "mm" } },
    );
    expect(r).toMatchObject({ state: "different", relativeDifference: null });
  });
});

describe("relativeDifference", () => {
  it("is (b − a) / |a|, signed", () => {
    expect(relativeDifference(200, 150)).toBeCloseTo(-0.25, 12);
    expect(relativeDifference(-4, -2)).toBeCloseTo(0.5, 12);
  });

  it("is null from zero to non-zero and for non-numbers; 0 for equal zeros", () => {
    expect(relativeDifference(0, 3)).toBeNull();
    expect(relativeDifference(0, 0)).toBe(0);
    expect(relativeDifference("1", 2)).toBeNull();
    expect(relativeDifference(1, Number.NaN)).toBeNull();
  });
});

describe("valuesSame", () => {
  it("compares arrays element by element and refuses type mismatches", () => {
    expect(valuesSame([1, 2, 3], [1, 2, 3])).toBe(true);
    expect(valuesSame([1, 2, 3], [1, 2])).toBe(false);
    expect(valuesSame([1, 2], { 0: 1, 1: 2 })).toBe(false);
    expect(valuesSame(null, {})).toBe(false);
    expect(valuesSame(1, "1")).toBe(false);
    expect(valuesSame({ a: 1 }, { a: 1, b: undefined })).toBe(false);
  });
});

describe("formatRelative", () => {
  it("writes a signed percentage", () => {
    expect(formatRelative(0.2)).toBe("+20.00 %");
    expect(formatRelative(-0.00031)).toBe("−0.031 %");
    expect(formatRelative(2.5)).toBe("+250 %");
    expect(formatRelative(0)).toBe("0 %");
  });
});
