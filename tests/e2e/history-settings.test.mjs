// The calculation history and the comparison of two jobs; settings (API tokens, theme);
// the dark theme and a phone-width viewport across the main pages.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";

import { closeBrowser, PHONE, Visit } from "./lib/browser.mjs";
import { signInLocally } from "./lib/flows.mjs";
import { Mecapyd } from "./lib/server.mjs";

let server;
let jobs;
before(async () => {
  server = await new Mecapyd().start();
  await server.deployExamples("fixtures");
  const run = (inputs) =>
    server.api("/api/v1/packages/admin%2Ffixtures/functions/bolt_area/execute", {
      method: "POST",
      body: JSON.stringify({ inputs, no_cache: true }),
    });
  jobs = [await run({ d: 10, p: 1.5 }), await run({ d: { value: 1.2, unit: "cm" }, p: 1.5 })];
  for (const job of jobs) assert.equal(job.status, "completed", JSON.stringify(job));
});
after(async () => {
  await closeBrowser();
  await server?.stop();
});

test("history: two jobs picked and compared, the differences marked", async () => {
  const visit = new Visit("history-compare");
  const page = await visit.open();
  await signInLocally(visit, server, "/jobs/");
  const boxes = page.getByRole("checkbox", { name: /Compare the bolt_area job/ });
  await boxes.first().waitFor();
  assert.equal(await boxes.count(), 2);
  await visit.checkAccessibility("history");
  await visit.screenshot("history");
  await boxes.nth(0).check();
  await boxes.nth(1).check();
  await page.getByRole("link", { name: "Compare", exact: true }).click();
  await page.waitForURL((url) => url.pathname === "/jobs/compare/");
  const inputs = page.locator("section[aria-labelledby=inputs]");
  const row = (name) => inputs.locator("tr", { has: page.getByRole("rowheader", { name, exact: true }) });
  await row("d").waitFor();
  const dRow = await row("d").innerText();
  assert.match(dRow, /10/);
  assert.match(dRow, /12/);
  assert.match(dRow, /Differs/);
  const pRow = await row("p").innerText();
  assert.doesNotMatch(pRow, /Differs/);
  const outputs = await page.locator("section[aria-labelledby=outputs]").innerText();
  assert.match(outputs, /Differs/);
  // The exact areas of both jobs appear.
  for (const job of jobs) assert.ok(outputs.includes(String(job.outputs.area)), `${job.outputs.area} in ${outputs}`);
  await visit.checkAccessibility("compare");
  await visit.screenshot("compare");
  await visit.close();
});

test("settings: an API token is shown once, works, and stops working once revoked", async () => {
  const visit = new Visit("settings-tokens");
  const page = await visit.open();
  await signInLocally(visit, server, "/settings/");
  await page.getByRole("button", { name: "New token" }).click();
  await page.getByRole("dialog").getByLabel("Name").fill("e2e script");
  await page.getByRole("button", { name: "Create token" }).click();
  const secret = await page.getByLabel("Your new token").inputValue();
  assert.match(secret, /^mcp_/);
  await visit.checkAccessibility("token-secret");
  await visit.screenshot("token-secret");
  const me = await fetch(`${server.url}/api/v1/auth/me`, { headers: { Authorization: `Bearer ${secret}` } });
  assert.equal(me.status, 200);
  await page.keyboard.press("Escape");
  await page.getByRole("button", { name: "Revoke the token e2e script" }).click();
  await page.getByRole("alertdialog").getByRole("button", { name: /Revoke/ }).click();
  await page.getByRole("button", { name: "Revoke the token e2e script" }).waitFor({ state: "detached" });
  const refused = await fetch(`${server.url}/api/v1/auth/me`, { headers: { Authorization: `Bearer ${secret}` } });
  assert.equal(refused.status, 401);
  await visit.checkAccessibility("settings");
  await visit.screenshot("settings");
  await visit.close();
});

test("the dark theme, chosen in settings, holds on every page", async () => {
  const visit = new Visit("dark-mode");
  const page = await visit.open();
  await signInLocally(visit, server, "/settings/");
  await page.getByRole("radio", { name: /Dark/ }).check();
  await page.waitForFunction(() => document.documentElement.classList.contains("dark"));
  for (const [label, path] of [["settings", "/settings/"], ["home", "/"], ["packages", "/packages/"], ["files", "/files/"],
    ["history", "/jobs/"], ["compare", `/jobs/compare/?a=${jobs[0].job_id}&b=${jobs[1].job_id}`]]) {
    await visit.go(server, path);
    assert.ok(await page.evaluate(() => document.documentElement.classList.contains("dark")), `${path} is dark`);
    const shift = await visit.layoutShift();
    assert.ok(shift < 0.1, `${path} shifted by ${shift} while loading`);
    await visit.checkAccessibility(`dark-${label}`);
    await visit.screenshot(`dark-${label}`);
  }
  await visit.close();
});

test("a phone-width viewport: the menu opens the navigation, no page scrolls sideways or jumps while loading", async () => {
  const visit = new Visit("phone", { viewport: PHONE });
  const page = await visit.open();
  await signInLocally(visit, server, "/");
  await page.getByRole("button", { name: "Menu" }).click();
  await page.getByRole("link", { name: "History" }).last().waitFor();
  await visit.checkAccessibility("phone-menu");
  await visit.screenshot("phone-menu");
  for (const [label, path] of [["home", "/"], ["packages", "/packages/"], ["files", "/files/"], ["history", "/jobs/"],
    ["settings", "/settings/"], ["compare", `/jobs/compare/?a=${jobs[0].job_id}&b=${jobs[1].job_id}`]]) {
    await visit.go(server, path);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `${path} is ${overflow}px wider than the phone`);
    // Loading states hold the place of what loads: the page does not jump (the "good"
    // threshold of the Core Web Vitals is 0.1).
    const shift = await visit.layoutShift();
    assert.ok(shift < 0.1, `${path} shifted by ${shift} while loading`);
    await visit.checkAccessibility(`phone-${label}`);
    await visit.screenshot(`phone-${label}`);
  }
  await visit.close();
});
