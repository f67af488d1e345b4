import { cleanup, render, screen, within } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";
import type { Port } from "@/lib/packages";
import { PortTable } from "./port-table";

const ports: Port[] = [
  {
    name: "FA",
    type: { kind: "quantity", spelling: "Force", quantity: "Force", unit: "N" },
    description: "Axial load",
    required: true,
    minimum: 0,
  },
  { name: "grade", type: { kind: "literal", spelling: "literal[8.8, 10.9]", values: [8.8, 10.9] }, default: 8.8 },
  {
    name: "flange",
    type: {
      kind: "struct",
      spelling: "{d: Length, t: Length}",
      fields: [
        { name: "d", type: { kind: "quantity", spelling: "Length", unit: "mm" } },
        { name: "t", type: { kind: "quantity", spelling: "Length", unit: "mm" } },
      ],
    },
  },
];

afterEach(cleanup);

describe("PortTable", () => {
  it("shows one row per port and per struct field, with type, unit, bounds and default", () => {
    render(<PortTable ports={ports} kind="inputs" caption="Inputs" />);
    const rows = screen.getAllByRole("row").slice(1);
    expect(rows.map((r) => within(r).getAllByRole("cell")[0]?.textContent)).toEqual([
      "FA",
      "gradeoptional",
      "flange",
      "flange.d",
      "flange.t",
    ]);
    const fa = within(rows[0]!).getAllByRole("cell").map((c) => c.textContent);
    expect(fa).toEqual(["FA", "Force", "N", "FA ≥ 0 N", "", "Axial load"]);
    const grade = within(rows[1]!).getAllByRole("cell").map((c) => c.textContent);
    expect(grade[3]).toBe("8.8 | 10.9");
    expect(grade[4]).toBe("8.8");
    expect(within(rows[3]!).getAllByRole("cell")[2]?.textContent).toBe("mm");
  });

  it("does not mark outputs optional, leaves out empty columns, and says when there are none", () => {
    const plain: Port = { name: "F0", type: { kind: "quantity", spelling: "Force", unit: "N" }, default: 1 };
    const { rerender } = render(<PortTable ports={[plain]} kind="outputs" caption="Outputs" />);
    expect(screen.queryByText("optional")).toBeNull();
    expect(screen.getAllByRole("columnheader").map((h) => h.textContent)).toEqual(["Name", "Type", "Unit", "Description"]);
    rerender(<PortTable ports={[]} kind="outputs" caption="Outputs" />);
    expect(screen.getByText("No outputs.")).toBeTruthy();
  });
});
