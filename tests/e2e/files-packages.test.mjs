// Files and packages from the browser: uploading files with a real progress bar,
// listing, searching, deleting them; deploying examples/bolted-joint from its archive and
// reading the deploy report; the package and function pages.
import assert from "node:assert/strict";
import { statSync } from "node:fs";
import { after, before, test } from "node:test";

import { closeBrowser, Visit } from "./lib/browser.mjs";
import { signInLocally, textFile, throttleUploads, waitForPartialProgress, zipExample } from "./lib/flows.mjs";
import { Mecapyd } from "./lib/server.mjs";

let server;
before(async () => {
  server = await new Mecapyd().start();
});
after(async () => {
  await closeBrowser();
  await server?.stop();
});

test("files: upload two with a progress bar, find one, delete it", async () => {
  const visit = new Visit("files");
  const page = await visit.open();
  await signInLocally(visit, server, "/files/");
  await visit.checkAccessibility("files-empty");
  const big = textFile("load-cases.csv", 3 * 1024 * 1024);
  const small = textFile("bolt-list.csv", 2000);

  // 1 MiB/s: the 3 MiB upload takes seconds, so its bar is seen part-way.
  const unthrottle = await throttleUploads(visit, 1024 * 1024);
  await page.getByLabel("Choose files").setInputFiles([big, small]);
  await waitForPartialProgress(page, "Upload of load-cases.csv");
  await visit.screenshot("uploading");
  await unthrottle();

  const row = page.getByRole("row").filter({ hasText: "load-cases.csv" });
  await row.waitFor();
  await page.getByRole("row").filter({ hasText: "bolt-list.csv" }).waitFor();
  const listed = await server.api("/api/v1/files");
  const stored = listed.items.find((f) => f.filename === "load-cases.csv");
  assert.equal(stored.size, statSync(big).size);
  assert.match(await row.innerText(), /3(\.0)? MiB/);
  await visit.screenshot("uploaded");

  await page.getByLabel("Search files").fill("bolt");
  await page.getByRole("button", { name: "Search", exact: true }).click();
  await page.getByRole("row").filter({ hasText: "load-cases.csv" }).waitFor({ state: "detached" });
  await page.getByRole("row").filter({ hasText: "bolt-list.csv" }).waitFor();
  await page.getByLabel("Search files").fill("");
  await page.getByRole("button", { name: "Search", exact: true }).click();
  await row.waitFor();

  await page.getByRole("button", { name: "Delete load-cases.csv" }).click();
  await page.getByRole("alertdialog").waitFor();
  await visit.checkAccessibility("delete-dialog");
  await page.getByRole("alertdialog").getByRole("button", { name: "Delete" }).click();
  await row.waitFor({ state: "detached" });
  const after = await server.api("/api/v1/files");
  assert.deepEqual(after.items.map((f) => f.filename), ["bolt-list.csv"]);
  await visit.checkAccessibility("files");
  await visit.close();
});

test("packages: deploy examples/bolted-joint from its archive, then read its pages", async () => {
  const visit = new Visit("deploy-bolted-joint");
  const page = await visit.open();
  await signInLocally(visit, server, "/packages/");
  await page.getByRole("button", { name: "Upload package" }).first().click();
  await page.getByLabel("Choose an archive").setInputFiles(zipExample("bolted-joint"));
  const report = page.getByRole("region", { name: "Deploy report" });
  await report.waitFor({ timeout: 120_000 });
  const text = await report.innerText();
  assert.match(text, /admin\/bolted-joint/);
  assert.match(text, /max_preload/);
  assert.match(text, /24 passed/);
  await visit.checkAccessibility("deploy-report");
  await visit.screenshot("deploy-report");

  await report.getByRole("link", { name: "admin/bolted-joint" }).click();
  await page.waitForURL((url) => url.pathname === "/packages/view/");
  await page.getByRole("link", { name: "max_preload" }).first().waitFor();
  await visit.checkAccessibility("package");
  await visit.screenshot("package");

  await page.getByRole("link", { name: "max_preload" }).first().click();
  await page.waitForURL((url) => url.pathname === "/functions/view/");
  await page.getByRole("link", { name: "Run" }).first().waitFor();
  const fn = await page.locator("main").innerText();
  assert.match(fn, /mm/); // the inputs' units
  await visit.checkAccessibility("function");
  await visit.screenshot("function");
  await visit.close();
});
