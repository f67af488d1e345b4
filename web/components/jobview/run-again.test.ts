import { describe, expect, it } from "vitest";
import { runAgainHref } from "./job-view";

describe("runAgainHref", () => {
  it("points the form at the job's package, function, version and inputs", () => {
    const href = runAgainHref({ package: "admin/bolted-joint", function: "max_preload", version: "1.0.0", job_id: "j-1" });
    expect(href).toBe("/run/?package=admin%2Fbolted-joint&function=max_preload&version=1.0.0&from_job=j-1");
  });
});
