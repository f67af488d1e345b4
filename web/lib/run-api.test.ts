// @vitest-environment node
// The calculation form's API calls against a real HTTP server on 127.0.0.1 (a free port)
// that records what it was sent and answers what each test scripts (the 422 body is one
// mecapyd gave for a bad call).
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { ApiError, browser, setCsrfToken } from "./api";
import { executeFunction, getFunction, getJob, InvalidInputsError } from "./run-api";

interface Recorded {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

let server: Server;
let recorded: Recorded[] = [];
let answer: { status: number; body: string; contentType?: string } = { status: 200, body: "{}" };

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = "";
    req.on("data", (chunk: Buffer) => (body += chunk.toString()));
    req.on("end", () => {
      recorded.push({ method: req.method ?? "", url: req.url ?? "", headers: req.headers, body });
      res.writeHead(answer.status, { "Content-Type": answer.contentType ?? "application/json" });
      res.end(answer.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  process.env.NEXT_PUBLIC_API_URL = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise<void>((resolve, reject) => server.close((e) => (e ? reject(e) : resolve())));
});

beforeEach(() => {
  recorded = [];
  answer = { status: 200, body: "{}" };
  setCsrfToken("tok");
  vi.spyOn(browser, "cookies").mockImplementation(() => "");
  vi.spyOn(browser, "here").mockImplementation(() => "/run/?package=admin%2Fbolted-joint&function=max_preload");
  vi.spyOn(browser, "navigate").mockImplementation(() => undefined);
});

afterEach(() => {
  vi.restoreAllMocks();
  setCsrfToken(undefined);
});

const INVALID = {
  errors: [
    { pointer: "/loads/2", message: "loads[2]: unit 'kg' is a mass; loads[2] is a Force, give it in kN or another force unit" },
    { pointer: "/flange/grade", message: "must be one of 1, 2" },
    { pointer: "/length", message: "must be at most 50" },
  ],
  type: "/docs/problems#invalid-inputs",
  title: "Unprocessable content",
  status: 422,
  detail: "3 input problem(s); the first: /loads/2: loads[2]: unit 'kg' is a mass",
  request_id: "db1ac13c",
};

describe("reading", () => {
  it("asks for a function by owner/name, URL-encoded, and a version", async () => {
    await getFunction("admin/bolted-joint", "max_preload", "1.0.0");
    expect(recorded[0]?.url).toBe("/api/v1/packages/admin%2Fbolted-joint/functions/max_preload?version=1.0.0");
    await getFunction("admin/bolted-joint", "max_preload");
    expect(recorded[1]?.url).toBe("/api/v1/packages/admin%2Fbolted-joint/functions/max_preload");
  });

  it("asks for a job by its id, URL-encoded", async () => {
    await getJob("j 1");
    expect(recorded.map((r) => r.url)).toEqual(["/api/v1/jobs/j%201"]);
  });
});

describe("executeFunction", () => {
  it("posts the body as JSON with the CSRF token and answers the job", async () => {
    answer = { status: 202, body: JSON.stringify({ job_id: "j1", status: "pending" }) };
    const job = await executeFunction("admin/bolted-joint", "max_preload", {
      inputs: { d: { value: 1, unit: "cm" }, p: 1.5 },
      version: "1.0.0",
      async: true,
    });
    expect(job).toEqual({ job_id: "j1", status: "pending" });
    expect(recorded[0]?.method).toBe("POST");
    expect(recorded[0]?.url).toBe("/api/v1/packages/admin%2Fbolted-joint/functions/max_preload/execute");
    expect(recorded[0]?.headers["x-csrf-token"]).toBe("tok");
    expect(recorded[0]?.headers["content-type"]).toBe("application/json");
    expect(JSON.parse(recorded[0]!.body)).toEqual({ inputs: { d: { value: 1, unit: "cm" }, p: 1.5 }, version: "1.0.0", async: true });
  });

  it("keeps every problem of a 422 invalid-inputs answer", async () => {
    answer = { status: 422, contentType: "application/problem+json", body: JSON.stringify(INVALID) };
    const error = await executeFunction("p", "f", { inputs: {} }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidInputsError);
    const invalid = error as InvalidInputsError;
    expect(invalid.status).toBe(422);
    expect(invalid.detail).toBe(INVALID.detail);
    expect(invalid.problems).toEqual(INVALID.errors);
  });

  it("gives other refusals as an ApiError with the problem's detail", async () => {
    answer = {
      status: 404,
      contentType: "application/problem+json",
      body: JSON.stringify({ type: "/docs/problems#function-not-found", title: "Not found", status: 404, detail: "No function f in p", request_id: "r" }),
    };
    const error = await executeFunction("p", "f", { inputs: {} }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).not.toBeInstanceOf(InvalidInputsError);
    expect((error as ApiError).detail).toBe("No function f in p");
    expect(browser.navigate).not.toHaveBeenCalled();
  });

  it("sends a 401 to sign-in, and back here afterwards", async () => {
    answer = { status: 401, body: JSON.stringify({ type: "t", title: "Unauthorized", status: 401, detail: "Sign in", request_id: "r" }) };
    await expect(executeFunction("p", "f", { inputs: {} })).rejects.toBeInstanceOf(ApiError);
    expect(browser.navigate).toHaveBeenCalledWith(
      `/sign-in/?next=${encodeURIComponent("/run/?package=admin%2Fbolted-joint&function=max_preload")}`,
    );
  });

  it("survives an answer that is not JSON", async () => {
    answer = { status: 502, contentType: "text/html", body: "<html>Bad gateway</html>" };
    const error = (await executeFunction("p", "f", { inputs: {} }).catch((e: unknown) => e)) as ApiError;
    expect(error.status).toBe(502);
  });
});
