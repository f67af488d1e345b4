import { cleanup, render } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";
import { detectCharts } from "@/lib/series";
import { ResultChart } from "./result-chart";

afterEach(cleanup);

describe("ResultChart", () => {
  it("draws a fixed-size line chart with both axis labels and their units", () => {
    const [spec] = detectCharts({ t: [0, 1, 2, 3], F: [0, 2, 4, 8] }, { t: "s", F: "kN" });
    const { container } = render(<ResultChart spec={spec!} fixed={{ width: 680, height: 280 }} />);
    const svg = container.querySelector("svg.recharts-surface");
    expect(svg?.getAttribute("width")).toBe("680");
    expect(svg?.getAttribute("height")).toBe("280");
    const text = container.textContent ?? "";
    expect(text).toContain("t (s)");
    expect(text).toContain("F (kN)");
    expect(container.querySelector(".recharts-line")).not.toBeNull();
    expect(container.querySelector("figcaption")?.textContent).toBe("F against t");
  });

  it("draws points, not a line, for a scatter", () => {
    const [spec] = detectCharts({ x: [3, 1, 2], y: [9, 1, 4] });
    const { container } = render(<ResultChart spec={spec!} fixed={{ width: 400, height: 200 }} />);
    expect(container.querySelector(".recharts-scatter")).not.toBeNull();
    expect(container.querySelector(".recharts-line")).toBeNull();
  });
});
