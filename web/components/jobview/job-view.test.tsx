import { cleanup, render, screen, within } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { Job } from "@/lib/jobs";
import { JobView } from "./job-view";

vi.mock("next/dynamic", () => ({ default: () => () => null }));

const done: Job = {
  job_id: "j-1",
  status: "completed",
  package: "admin/bolted-joint",
  version: "1.0.0",
  function: "max_preload",
  function_version_id: "fv-1",
  inputs: { d: 10, p: 1.5 },
  submitted_inputs: { d: { value: 1, unit: "cm" }, p: 1.5 },
  outputs: { F0_max: 25703.235484279103, sigma_eq: 576 },
  units: { F0_max: "N", sigma_eq: "MPa" },
  output_files: [],
  duration_ms: 62.784474,
  created_at: "2026-12-01T20:41:52.186Z",
  finished_at: "2026-12-01T20:41:52.261Z",
};

// The API as the job page sees it, answered by URL (no network).
function answer(routes: Record<string, { status?: number; body: unknown }>) {
  return vi.fn(async (input: RequestInfo | URL) => {
    const url = new URL(String(input), "http://ui.test");
    const route = routes[url.pathname];
    if (!route) return new Response(JSON.stringify({ type: "about:blank", title: "Not Found", detail: "no such thing" }), { status: 404, headers: { "Content-Type": "application/problem+json" } });
    return new Response(JSON.stringify(route.body), { status: route.status ?? 200, headers: { "Content-Type": "application/json" } });
  });
}

beforeEach(() => {
  vi.stubGlobal(
    "EventSource",
    vi.fn(() => {
      throw new Error("a final job needs no event stream");
    }),
  );
});

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

describe("JobView", () => {
  it("shows a finished job's inputs, exact outputs, logs and actions without opening a stream", async () => {
    vi.stubGlobal(
      "fetch",
      answer({
        "/api/v1/jobs/j-1": { body: done },
        "/api/v1/jobs/j-1/logs": { body: { entries: [{ index: 0, kind: "stderr", chunk: "warning: x\n" }], next_index: 1, done: true } },
        "/api/v1/function-versions/fv-1": {
          body: { id: "fv-1", name: "max_preload", package_id: "p", inputs: [{ name: "d", type: { kind: "quantity", unit: "mm" } }], outputs: [] },
        },
      }),
    );
    render(<JobView id="j-1" />);
    expect(await screen.findByText("25703.235484279103")).toBeTruthy();
    expect(screen.getByText("Completed")).toBeTruthy();
    expect(screen.getByText("1 cm")).toBeTruthy();
    expect(await screen.findByText("10 mm")).toBeTruthy();
    expect(await screen.findByText("warning: x")).toBeTruthy();
    // (next/link adds the trailing slash only in a build with trailingSlash: the test runs without)
    expect(screen.getByRole("link", { name: "Run again with these inputs" }).getAttribute("href")).toMatch(
      /^\/run\/?\?package=admin%2Fbolted-joint&function=max_preload&version=1\.0\.0&from_job=j-1$/,
    );
    expect(screen.getByRole("link", { name: "Calculation report" }).getAttribute("href")).toMatch(/^\/jobs\/report\/?\?id=j-1$/);
    const copies = within(screen.getByRole("group", { name: "Copy this calculation" })).getAllByRole("button");
    expect(copies.map((b) => b.textContent)).toEqual(["Copy as API call (curl)", "Copy as Python SDK call", "Copy as CLI command"]);
    expect(screen.queryByRole("button", { name: "Cancel job" })).toBeNull();
    expect(EventSource).not.toHaveBeenCalled();
  });

  it("says a job that is not the caller's is not found", async () => {
    vi.stubGlobal("fetch", answer({}));
    render(<JobView id="nope" />);
    expect(await screen.findByText("Job not found")).toBeTruthy();
  });

  it("follows a running job over its event stream and offers to cancel it", async () => {
    const opened: string[] = [];
    vi.stubGlobal(
      "EventSource",
      vi.fn(function (this: { url: string; addEventListener: () => void; close: () => void; readyState: number }, url: string) {
        opened.push(url);
        this.readyState = 0;
        this.addEventListener = () => undefined;
        this.close = () => undefined;
      }),
    );
    vi.stubGlobal("fetch", answer({ "/api/v1/jobs/j-2": { body: { ...done, job_id: "j-2", status: "running", outputs: {} } } }));
    render(<JobView id="j-2" />);
    expect(await screen.findByRole("button", { name: "Cancel job" })).toBeTruthy();
    expect(screen.getByRole("progressbar", { name: "Progress of the job" })).toBeTruthy();
    expect(opened).toEqual(["/api/v1/jobs/j-2/events"]);
  });
});
