// The /run/ page's content against a real HTTP server on 127.0.0.1 that answers as
// mecapyd does (the function, the catalogue, an earlier job, execute): the function
// shown, the form prefilled from the job, the job started asynchronously on the pinned
// version and opened, and a 422's problems under their fields.
import { cleanup, render, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import fixture from "@/lib/schema-form/__fixtures__/every-input.json";
import { RunCalculation } from "./run-calculation";

const push = vi.fn();
vi.mock("next/navigation", () => ({ useRouter: () => ({ push }) }));

const FUNCTION = {
  id: "fv1",
  name: "max_preload",
  package_id: "p1",
  version: "1.0.0",
  description: "Maximum assembly preload",
  inputs: [
    { name: "d", type: { kind: "quantity", quantity: "Length", unit: "mm" }, description: "Nominal diameter", required: true, minimum: 1, maximum: 150 },
    { name: "mu_th", type: { kind: "float" }, required: true, default: 0.15 },
  ],
  input_schema: {
    type: "object",
    properties: {
      d: { type: "number", "x-quantity": "Length", "x-unit": "mm", minimum: 1, maximum: 150, description: "Nominal diameter" },
      mu_th: { type: "number", minimum: 0.05, maximum: 0.6, default: 0.15 },
    },
    required: ["d"],
    additionalProperties: false,
  },
};

let server: Server;
let posted: { url: string; body: string }[] = [];
let executeAnswer: { status: number; body: unknown } = { status: 202, body: { job_id: "job-2", status: "pending" } };

function route(url: string): { status: number; body: unknown } {
  if (url.startsWith("/api/v1/packages/admin%2Fbolted-joint/functions/max_preload")) return { status: 200, body: FUNCTION };
  if (url === "/api/v1/types/catalog") return { status: 200, body: fixture.catalog };
  if (url === "/api/v1/jobs/job-1")
    return { status: 200, body: { job_id: "job-1", status: "completed", function: "max_preload", inputs: { d: 12, mu_th: 0.2 }, input_files: [] } };
  return { status: 404, body: { type: "t", title: "Not found", status: 404, detail: "No such thing", request_id: "r" } };
}

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = "";
    req.on("data", (c: Buffer) => (body += c.toString()));
    req.on("end", () => {
      const answer = req.method === "POST" ? executeAnswer : route(req.url ?? "");
      if (req.method === "POST") posted.push({ url: req.url ?? "", body });
      res.writeHead(answer.status, { "Content-Type": "application/json" });
      res.end(JSON.stringify(answer.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  process.env.NEXT_PUBLIC_API_URL = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise<void>((resolve, reject) => server.close((e) => (e ? reject(e) : resolve())));
});

beforeEach(() => {
  posted = [];
  push.mockReset();
  executeAnswer = { status: 202, body: { job_id: "job-2", status: "pending" } };
});
afterEach(cleanup);

describe("RunCalculation", () => {
  it("shows the function, prefills from the job, starts the job async on its version and opens it", async () => {
    const user = userEvent.setup();
    render(<RunCalculation packageId="admin/bolted-joint" functionName="max_preload" fromJob="job-1" />);
    expect(await screen.findByText("Maximum assembly preload")).toBeTruthy();
    expect(screen.getByText(/Prefilled with the inputs of job/)).toBeTruthy();
    const d = screen.getByLabelText(/^d/) as HTMLInputElement;
    expect(d.value).toBe("12");
    expect((screen.getByLabelText(/^mu_th/) as HTMLInputElement).value).toBe("0.2");
    await user.clear(d);
    await user.type(d, "1.6");
    await user.click(screen.getByRole("button", { name: "Run" }));
    await waitFor(() => expect(push).toHaveBeenCalledWith("/jobs/view/?id=job-2"));
    expect(posted[0]?.url).toBe("/api/v1/packages/admin%2Fbolted-joint/functions/max_preload/execute");
    expect(JSON.parse(posted[0]!.body)).toEqual({ inputs: { d: 1.6, mu_th: 0.2 }, version: "1.0.0", async: true });
  });

  it("puts a 422's problems under their fields", async () => {
    const user = userEvent.setup();
    executeAnswer = {
      status: 422,
      body: { type: "/docs/problems#invalid-inputs", title: "Unprocessable content", status: 422, detail: "1 input problem(s)", request_id: "r", errors: [{ pointer: "/d", message: "must be at most 150" }] },
    };
    render(<RunCalculation packageId="admin/bolted-joint" functionName="max_preload" />);
    await user.type(await screen.findByLabelText(/^d/), "10");
    await user.click(screen.getByRole("button", { name: "Run" }));
    await waitFor(() => expect(document.getElementById("in-d-error")?.textContent).toBe("must be at most 150"));
    expect(push).not.toHaveBeenCalled();
  });

  it("shows the problem's detail when the function cannot be loaded", async () => {
    render(<RunCalculation packageId="admin/nope" functionName="max_preload" />);
    expect((await screen.findByRole("alert")).textContent).toBe("No such thing");
    expect(screen.queryByRole("button", { name: "Run" })).toBeNull();
  });
});
