import { describe, expect, it } from "vitest";
import { formatDateTime, humanSize } from "./format";

describe("humanSize", () => {
  it("uses binary units with at most three significant digits", () => {
    expect(humanSize(0)).toBe("0 B");
    expect(humanSize(1023)).toBe("1023 B");
    expect(humanSize(1536)).toBe("1.5 KiB");
    expect(humanSize(300000)).toBe("293 KiB");
    expect(humanSize(10 * 2 ** 30)).toBe("10 GiB");
    expect(humanSize(1.234 * 2 ** 20)).toBe("1.23 MiB");
  });
  it("answers a dash for what is not a size", () => {
    expect(humanSize(-1)).toBe("—");
    expect(humanSize(Number.NaN)).toBe("—");
  });
});

describe("formatDateTime", () => {
  it("keeps an unreadable date as it is, and a dash for none", () => {
    expect(formatDateTime("yesterday")).toBe("yesterday");
    expect(formatDateTime(undefined)).toBe("—");
    expect(formatDateTime("2026-11-25T20:47:08.233Z")).toMatch(/2026/);
  });
});
