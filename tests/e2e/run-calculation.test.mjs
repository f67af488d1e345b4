// Running a calculation from the browser: the generated form of bolted-joint's
// max_preload with a unit change and a bound violation shown in place, the job followed
// live, the expected numbers in the results, the chart of fixtures.make_plot_data, and the
// calculation report printed to PDF by Chromium with its numbers in the PDF's text.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, test } from "node:test";

import { closeBrowser, Visit } from "./lib/browser.mjs";
import { signInLocally, waitForPartialProgress } from "./lib/flows.mjs";
import { Mecapyd } from "./lib/server.mjs";

let server;
before(async () => {
  server = await new Mecapyd().start();
  await server.deployExamples("bolted-joint", "fixtures");
});
after(async () => {
  await closeBrowser();
  await server?.stop();
});

// M10x1.5, class 8.8 (Re = 640 MPa), 90 % of Re in von Mises with the thread torque
// (NF E25-030-1 style, as examples/bolted-joint computes it).
function maxPreload(d, p, mu) {
  const d2 = d - 0.6495 * p;
  const d3 = d - 1.2269 * p;
  const ds = (d2 + d3) / 2;
  const area = (Math.PI / 4) * ds ** 2;
  const k = 0.16 * p + 0.583 * d2 * mu;
  return (0.9 * 640 * area) / Math.sqrt(1 + 3 * ((4 * k) / ds) ** 2);
}

async function field(page, name) {
  return page.locator(`label:has-text("${name}")`).first().getAttribute("for").then((id) => page.locator(`#${id}`));
}

let bolted;

test("the generated form: a unit change, a bound shown in place, then the job live and its numbers", async () => {
  const visit = new Visit("run-max-preload");
  const page = await visit.open();
  await signInLocally(visit, server, "/run/?package=admin%2Fbolted-joint&function=max_preload");
  const d = await field(page, "d");
  await d.waitFor();
  await visit.checkAccessibility("form");
  await visit.screenshot("form");

  // d in centimetres: 20 cm is beyond the function's bound; the browser says so under d.
  await page.getByRole("combobox", { name: "Unit of d" }).click();
  await page.getByRole("option", { name: "cm", exact: true }).click();
  await d.fill("20");
  await page.getByRole("button", { name: "Run", exact: true }).click();
  const error = page.locator(`#${await d.getAttribute("aria-describedby").then((ids) => ids.split(" ").find((i) => i.includes("error")))}`);
  await error.waitFor();
  assert.match(await error.innerText(), /cm/);
  assert.equal(await d.getAttribute("aria-invalid"), "true");
  await visit.checkAccessibility("bound-violation");
  await visit.screenshot("bound-violation");
  assert.equal(new URL(page.url()).pathname, "/run/", "nothing was submitted");

  await d.fill("1");
  await (await field(page, "p")).fill("1.5");
  await (await field(page, "mu_th")).fill("0.15");
  await page.getByRole("button", { name: "Run", exact: true }).click();
  await page.waitForURL((url) => url.pathname === "/jobs/view/");
  const jobId = new URL(page.url()).searchParams.get("id");
  await page.getByText("Completed", { exact: true }).first().waitFor({ timeout: 60_000 });
  await visit.checkAccessibility("results");
  await visit.screenshot("results");

  const job = await server.api(`/api/v1/jobs/${jobId}`);
  assert.deepEqual(job.submitted_inputs.d, { value: 1, unit: "cm" });
  assert.equal(job.inputs.d, 10);
  const expected = maxPreload(10, 1.5, 0.15);
  assert.ok(Math.abs(job.outputs.F0_max - expected) <= 1e-9 * expected, `${job.outputs.F0_max} vs ${expected}`);
  // The page shows the exact double the server computed, digit for digit, with its unit.
  const results = await page.locator("main").innerText();
  assert.ok(results.includes(String(job.outputs.F0_max)), `${job.outputs.F0_max} on the page`);
  assert.ok(results.includes(String(job.outputs.sigma_eq)));
  bolted = job;
  await visit.close();
});

test("a job followed live: status and progress while it runs, logs as they come", async () => {
  const visit = new Visit("live-job");
  const page = await visit.open();
  await signInLocally(visit, server, "/");
  const job = await server.api("/api/v1/packages/admin%2Ffixtures/functions/chatter/execute", {
    method: "POST",
    body: JSON.stringify({ async: true, no_cache: true, inputs: { steps: 40, pause: { value: 100, unit: "ms" } } }),
  });
  await visit.go(server, `/jobs/view/?id=${job.job_id}`);
  await page.getByText("Running", { exact: true }).first().waitFor({ timeout: 30_000 });
  await waitForPartialProgress(page, "Progress of the job");
  await visit.screenshot("running");
  await page.getByText("Completed", { exact: true }).first().waitFor({ timeout: 60_000 });
  const logs = await page.locator("section[aria-labelledby=logs-title]").innerText();
  assert.match(logs, /step/);
  await visit.checkAccessibility("finished");
  await visit.screenshot("finished");
  await visit.close();
});

test("the chart of fixtures.make_plot_data: y drawn against x", async () => {
  const visit = new Visit("chart");
  const page = await visit.open();
  await signInLocally(visit, server, "/");
  const job = await server.api("/api/v1/packages/admin%2Ffixtures/functions/make_plot_data/execute", {
    method: "POST",
    body: JSON.stringify({ inputs: { n: 60 } }),
  });
  assert.equal(job.status, "completed", JSON.stringify(job));
  await visit.go(server, `/jobs/view/?id=${job.job_id}`);
  const chart = page.locator("figure[aria-label^='Chart:']").first();
  await chart.locator("svg.recharts-surface").waitFor({ timeout: 30_000 });
  const points = await chart.locator(".recharts-line-curve, .recharts-scatter-symbol").count();
  assert.ok(points > 0, "the chart draws its series");
  const axes = await chart.innerText();
  assert.match(axes, /\bx\b/);
  assert.match(axes, /\by\b/);
  await visit.checkAccessibility("chart");
  await visit.screenshot("chart");
  await visit.close();
});

test("the calculation report printed to PDF holds the function, the inputs as sent and the numbers", async () => {
  assert.ok(bolted, "the form test ran first");
  const visit = new Visit("report");
  const page = await visit.open();
  await signInLocally(visit, server, `/jobs/report/?id=${bolted.job_id}`);
  await page.getByRole("button", { name: /Download PDF/ }).waitFor();
  await page.locator("svg, table").first().waitFor();
  await visit.checkAccessibility("report");
  await visit.screenshot("report");
  await page.emulateMedia({ media: "print" });
  const pdf = await page.pdf({ format: "A4", printBackground: true });
  const dir = mkdtempSync(path.join(tmpdir(), "mecapy-e2e-pdf-"));
  const file = path.join(visit.dir, "report.pdf");
  writeFileSync(file, pdf);
  const text = execFileSync("pdftotext", ["-layout", file, "-"], { encoding: "utf8", cwd: dir });
  assert.match(text, /max_preload/);
  assert.match(text, /admin\/bolted-joint/);
  assert.ok(text.includes(bolted.provenance.function_checksum.slice(0, 12)), "the function's checksum");
  assert.ok(text.includes(String(bolted.outputs.F0_max)), `F0_max ${bolted.outputs.F0_max} in the PDF`);
  assert.match(text, /1\s*cm/);
  await visit.close();
});
