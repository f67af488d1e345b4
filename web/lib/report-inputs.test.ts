import { describe, expect, it } from "vitest";
import type { Job, Port } from "./jobs";
import { reportInputRows } from "./report-inputs";

const ports: Port[] = [
  { name: "d", type: { kind: "quantity", unit: "mm" }, description: "Nominal diameter" },
  { name: "p", type: { kind: "quantity", unit: "mm" } },
  { name: "grade", type: { kind: "literal" } },
  { name: "mesh", type: { kind: "file" } },
];

const job: Job = {
  job_id: "j",
  status: "completed",
  package: "admin/bolted-joint",
  function: "max_preload",
  inputs: { d: 10, p: 1.5, grade: 8.8, extra: 0.30000000000000004 },
  input_files: [{ var: "mesh", file_id: "f-1", sha256: "abc" }],
};

describe("reportInputRows", () => {
  it("gives each input as sent and as converted, in the declared order", () => {
    const rows = reportInputRows({ ...job, submitted_inputs: { d: { value: 1, unit: "cm" }, p: 1.5 } }, ports, { mesh: "part.step" });
    expect(rows.map((r) => [r.name, r.sent, r.converted])).toEqual([
      ["d", "1 cm", "10 mm"],
      ["p", "1.5", "1.5 mm"],
      ["grade", "default", "8.8"],
      ["mesh", "part.step", "part.step"],
      ["extra", "default", "0.30000000000000004"],
    ]);
    expect(rows[0]!.description).toBe("Nominal diameter");
    expect(rows[3]!.file).toEqual({ id: "f-1", sha256: "abc", name: "part.step" });
  });

  it("leaves `sent` out when the job does not carry the request", () => {
    const rows = reportInputRows(job, ports);
    expect(rows.every((r) => r.sent === undefined)).toBe(true);
    expect(rows.find((r) => r.name === "mesh")!.converted).toBe("f-1");
  });
});
