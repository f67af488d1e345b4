import { describe, expect, it } from "vitest";
import { elapsedMs, formatDuration } from "./duration";

describe("formatDuration", () => {
  it("picks a unit by size", () => {
    expect(formatDuration(62.78)).toBe("63 ms");
    expect(formatDuration(4200)).toBe("4.2 s");
    expect(formatDuration(125_000)).toBe("2 min 05 s");
    expect(formatDuration(3_720_000)).toBe("1 h 02 min");
    expect(formatDuration(-1)).toBe("—");
  });
});

describe("elapsedMs", () => {
  it("measures to the end, or to now while it runs", () => {
    expect(elapsedMs("2026-12-01T20:41:52.186Z", "2026-12-01T20:41:52.261Z", 0)).toBe(75);
    expect(elapsedMs("2026-12-01T20:41:52.000Z", "", Date.parse("2026-12-01T20:41:55.000Z"))).toBe(3000);
    expect(elapsedMs(undefined, undefined, 0)).toBeUndefined();
  });
});
