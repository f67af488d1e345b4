import { describe, expect, it } from "vitest";
import { cliCommand, curlCommand, pythonCall, shellQuote, type CopySource } from "./copy-as";
import type { Job } from "./jobs";

const job: Job = {
  job_id: "j1",
  status: "completed",
  package: "admin/bolted-joint",
  version: "1.0.0",
  function: "max_preload",
  inputs: { d: 10, p: 1.5, mu_th: 0.15, grade: 8.8 },
};

const sent: Job = {
  ...job,
  submitted_inputs: { d: { value: 1, unit: "cm" }, p: 1.5, mu_th: 0.15, note: "it's \"M10\"" },
};

const base = (j: Job, extra: Partial<CopySource> = {}): CopySource => ({
  job: j,
  apiUrl: "https://mecapy.example.com",
  inputUnits: { d: "mm", p: "mm" },
  ...extra,
});

describe("shellQuote", () => {
  it("leaves plain words and quotes the rest, escaping single quotes", () => {
    expect(shellQuote("d=10mm")).toBe("d=10mm");
    expect(shellQuote("a b")).toBe("'a b'");
    expect(shellQuote("it's")).toBe(`'it'\\''s'`);
    expect(shellQuote("$HOME")).toBe("'$HOME'");
    expect(shellQuote("")).toBe("''");
  });
});

describe("curlCommand", () => {
  it("posts the inputs as sent, the version pinned, to the encoded package", () => {
    const text = curlCommand(base(sent));
    expect(text.split(" \\\n")[0]).toBe("curl -X POST https://mecapy.example.com/api/v1/packages/admin%2Fbolted-joint/functions/max_preload/execute");
    expect(text).toContain('-H "Authorization: Bearer $MECAPY_TOKEN"');
    const body = text.slice(text.indexOf("-d '") + 4, text.lastIndexOf("'")).replace(/'\\''/g, "'");
    expect(JSON.parse(body)).toEqual({ version: "1.0.0", inputs: sent.submitted_inputs });
  });

  it("sends converted inputs with their declared units when the request was not kept, and files by id", () => {
    const text = curlCommand(base({ ...job, inputs: { ...job.inputs, mesh: "f-1" }, input_files: [{ var: "mesh", file_id: "f-1" }] }));
    const body = JSON.parse(text.slice(text.indexOf("-d '") + 4, text.lastIndexOf("'")));
    expect(body.inputs.d).toEqual({ value: 10, unit: "mm" });
    expect(body.inputs.mu_th).toBe(0.15);
    expect(body.inputs.mesh).toBeUndefined();
    expect(body.files).toEqual({ mesh: "f-1" });
  });
});

describe("pythonCall", () => {
  it("loads the pinned package and passes quantities as (value, unit) tuples", () => {
    const text = pythonCall(base(sent));
    expect(text).toContain('from mecapy import MecaPyClient');
    expect(text).toContain("client = MecaPyClient.from_env()");
    expect(text).toContain('pkg = client.load("admin/bolted-joint:1.0.0")');
    expect(text).toContain('pkg.max_preload(d=(1, "cm"), p=1.5, mu_th=0.15, note="it\'s \\"M10\\"")');
  });

  it("writes booleans, None, lists, exact floats, files and non-identifier names", () => {
    const j: Job = {
      ...job,
      function: "fn",
      submitted_inputs: { ok: true, none: null, values: [0.1, 1e-7, 0.30000000000000004], class: 1, "a-b": 2 },
      input_files: [{ var: "file", file_id: "f-9" }],
    };
    const text = pythonCall(base(j, { fileNames: { file: "part.csv" } }));
    expect(text.startsWith("from pathlib import Path")).toBe(true);
    expect(text).toContain(
      'pkg.fn(ok=True, none=None, values=[0.1, 1e-7, 0.30000000000000004], file=Path("part.csv"), **{"class": 1, "a-b": 2})',
    );
  });
});

describe("cliCommand", () => {
  it("writes units after the numbers and quotes what the shell would split", () => {
    expect(cliCommand(base(sent))).toBe(
      `mecapy run admin/bolted-joint max_preload --version 1.0.0 --input d=1cm --input p=1.5 --input mu_th=0.15 --input 'note=it'\\''s "M10"'`,
    );
  });

  it("uses declared units for converted inputs, keeps unsafe units quoted, and passes files by path", () => {
    const j: Job = {
      ...job,
      inputs: { sigma: 500, rate: 2 },
      input_files: [{ var: "mesh", file_id: "f-1" }],
    };
    const text = cliCommand(base(j, { inputUnits: { sigma: "N/mm^2", rate: "1/s" }, fileNames: { mesh: "part one.step" } }));
    expect(text).toBe(
      "mecapy run admin/bolted-joint max_preload --version 1.0.0 --input 'sigma=500N/mm^2' --input 'rate=2 1/s' --input-file 'mesh=./part one.step'",
    );
  });
});
