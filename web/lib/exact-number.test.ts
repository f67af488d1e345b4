import { describe, expect, it } from "vitest";
import { formatExact, formatValue, isInexactInteger, withUnit } from "./exact-number";

describe("formatExact", () => {
  it("writes the shortest decimal that reads back as the same double", () => {
    for (const n of [25703.235484279103, 0.30000000000000004, 5e-324, 1.7976931348623157e308, 123456789.12345679]) {
      expect(Number(formatExact(n))).toBe(n);
    }
    expect(formatExact(576.0)).toBe("576");
    expect(formatExact(1e-7)).toBe("1e-7");
    expect(formatExact(-0)).toBe("-0");
  });

  it("writes big whole numbers with their exact digits and flags them", () => {
    expect(formatExact(2 ** 60)).toBe("1152921504606846976");
    expect(isInexactInteger(2 ** 60)).toBe(true);
    expect(isInexactInteger(2 ** 53 - 1)).toBe(false);
    expect(isInexactInteger(0.5)).toBe(false);
  });
});

describe("formatValue and withUnit", () => {
  it("writes any JSON value, with its unit after", () => {
    expect(formatValue([0.1, true, "a"])).toBe('[0.1,true,"a"]');
    expect(formatValue(null)).toBe("—");
    expect(withUnit(10, "mm")).toBe("10 mm");
    expect(withUnit(0.15, undefined)).toBe("0.15");
  });
});
