// @vitest-environment node
import { describe, expect, it } from "vitest";
import { hasFilters, historyApiQuery, historySearch, localMidnight, parseHistoryQuery } from "./history-query";

const parse = (query: string) => parseHistoryQuery(new URLSearchParams(query));

describe("parseHistoryQuery", () => {
  it("reads every filter", () => {
    expect(parse("function=max_preload&package=admin%2Fbolted-joint&status=failed&from=2026-11-01&to=2026-11-30&page=3")).toEqual({
      function: "max_preload",
      package: "admin/bolted-joint",
      status: "failed",
      from: "2026-11-01",
      to: "2026-11-30",
      page: 3,
    });
  });

  it("drops what is malformed: unknown status, impossible dates, bad pages, blank text", () => {
    expect(parse("status=exploded&from=2026-02-30&to=yesterday&page=-2&function=%20%20")).toEqual({ page: 1 });
    expect(parse("page=2.5").page).toBe(1);
    expect(parse("page=abc").page).toBe(1);
    expect(parse("").page).toBe(1);
  });

  it("trims text", () => {
    expect(parse("function=%20scale%20").function).toBe("scale");
  });
});

describe("historySearch", () => {
  it("leaves defaults and empty filters out", () => {
    expect(historySearch({ page: 1 })).toBe("");
    expect(historySearch({ page: 1, status: "completed" })).toBe("?status=completed");
  });

  it("round-trips through the URL", () => {
    const query = "function=max_preload&package=admin%2Fbolted-joint&status=timeout&from=2026-01-05&to=2026-01-09&page=4";
    expect(historySearch(parse(query))).toBe(`?${query}`);
    expect(parse(historySearch(parse(query)).slice(1))).toEqual(parse(query));
  });
});

describe("historyApiQuery", () => {
  it("maps the filters to GET /jobs's parameters", () => {
    const query = historyApiQuery({ page: 2, function: "scale", status: "failed", package: "admin/fixtures" }, 50);
    expect(query).toEqual({ page: 2, per_page: 50, function: "scale", status: "failed", package: "admin/fixtures" });
  });

  it("sends the day range as instants: from local midnight to the next day's local midnight", () => {
    const query = historyApiQuery({ page: 1, from: "2026-03-28", to: "2026-03-29" });
    expect(query.created_after).toBe(new Date(2026, 2, 28).toISOString());
    expect(query.created_before).toBe(new Date(2026, 2, 30).toISOString());
    expect(query.created_after! < query.created_before!).toBe(true);
  });

  it("crosses month and year ends", () => {
    expect(historyApiQuery({ page: 1, to: "2026-12-31" }).created_before).toBe(new Date(2027, 0, 1).toISOString());
  });

  it("sends nothing for unset filters", () => {
    expect(historyApiQuery({ page: 1 })).toEqual({ page: 1, per_page: 20 });
  });
});

describe("localMidnight and hasFilters", () => {
  it("refuses dates that do not exist", () => {
    expect(localMidnight("2026-02-29")).toBeUndefined();
    expect(localMidnight("2028-02-29")?.getDate()).toBe(29);
  });

  it("counts the page as no filter", () => {
    expect(hasFilters({ page: 5 })).toBe(false);
    expect(hasFilters({ page: 1, to: "2026-01-01" })).toBe(true);
  });
});
