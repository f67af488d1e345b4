import { cleanup, render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { Port } from "@/lib/jobs";
import { OutputTable } from "./output-table";

afterEach(cleanup);

const ports: Port[] = [
  { name: "sigma_eq", type: { kind: "quantity", unit: "MPa" }, description: "Von Mises stress" },
  { name: "F0_max", type: { kind: "quantity", unit: "N" }, description: "Maximum assembly preload" },
];

function row(name: string): HTMLElement {
  return screen.getByRole("rowheader", { name }).closest("tr") as HTMLElement;
}

describe("OutputTable", () => {
  it("shows every double exactly as parsed, never rounded", () => {
    render(
      <OutputTable
        outputs={{ F0_max: 25703.235484279103, sigma_eq: 576.0, tiny: 1e-7, sum: 0.1 + 0.2, big: 2 ** 60, neg: -0 }}
        units={{ F0_max: "N" }}
        ports={ports}
      />,
    );
    expect(within(row("F0_max")).getByText("25703.235484279103")).toBeTruthy();
    expect(within(row("sigma_eq")).getByText("576")).toBeTruthy();
    expect(within(row("tiny")).getByText("1e-7")).toBeTruthy();
    expect(within(row("sum")).getByText("0.30000000000000004")).toBeTruthy();
    expect(within(row("big")).getByText("≈1152921504606846976").getAttribute("title")).toMatch(/2\^53/);
    expect(within(row("neg")).getByText("-0")).toBeTruthy();
  });

  it("puts declared outputs first with their units and descriptions", () => {
    render(<OutputTable outputs={{ extra: "x", F0_max: 1, sigma_eq: 2 }} units={{ F0_max: "N" }} ports={ports} />);
    const names = screen.getAllByRole("rowheader").map((cell) => cell.textContent);
    expect(names).toEqual(["sigma_eq", "F0_max", "extra"]);
    expect(within(row("sigma_eq")).getByText("MPa")).toBeTruthy();
    expect(within(row("F0_max")).getByText("Maximum assembly preload")).toBeTruthy();
  });

  it("lists an array's length, and every element exactly on demand or when expanded", () => {
    const { rerender } = render(<OutputTable outputs={{ y: [0, 0.19866933079506122, 1e21] }} />);
    expect(within(row("y")).getByText("3 values")).toBeTruthy();
    rerender(<OutputTable outputs={{ y: [0, 0.19866933079506122, 1e21] }} expandArrays />);
    expect(within(row("y")).getByText("[0, 0.19866933079506122, 1e+21]")).toBeTruthy();
  });

  it("copies a value's exact text", async () => {
    const writeText = vi.fn().mockResolvedValue(undefined);
    Object.defineProperty(navigator, "clipboard", { value: { writeText }, configurable: true });
    render(<OutputTable outputs={{ tau: 212.37906525288565 }} />);
    await userEvent.click(screen.getByRole("button", { name: "Copy the value of tau" }));
    expect(writeText).toHaveBeenCalledWith("212.37906525288565");
  });

  it("says so when there are no outputs", () => {
    render(<OutputTable outputs={{}} />);
    expect(screen.getByText("This job returned no outputs.")).toBeTruthy();
  });
});

describe("OutputTable highlighting", () => {
  it("marks the highlighted rows only, for sight and for screen readers", () => {
    render(<OutputTable outputs={{ a: 1, b: 2 }} highlighted={new Set(["b"])} />);
    expect(row("b (differs)").getAttribute("data-highlighted")).toBe("true");
    expect(row("a").getAttribute("data-highlighted")).toBeNull();
  });
});
