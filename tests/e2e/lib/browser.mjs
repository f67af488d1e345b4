// The browser of the tests: Debian's chromium, headless, driven by playwright-core
// (never a downloaded browser). Each test opens a Visit: a fresh context (no cookies,
// its own viewport and colour scheme) that
//   - records every console error and uncaught page error, which fail the test at
//     close() — a page must not log errors, expected 401s included;
//   - runs axe-core on every page it is asked to check, and fails on serious or
//     critical violations (all results are written beside the screenshots);
//   - saves screenshots under the output folder ($E2E_OUTPUT, default build/e2e-output).
import { mkdirSync, writeFileSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { chromium } from "playwright-core";

import { ROOT } from "./server.mjs";

const require = createRequire(import.meta.url);
const AXE_SOURCE = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");

export const OUTPUT = process.env.E2E_OUTPUT ?? path.join(ROOT, "build", "e2e-output");

const FLAGS = [
  "--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
  "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
];

let browser;

export async function launch() {
  if (!browser) browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium", args: FLAGS });
  return browser;
}

export async function closeBrowser() {
  await browser?.close();
  browser = undefined;
}

export const PHONE = { width: 375, height: 740 };
export const DESKTOP = { width: 1280, height: 860 };

export class Visit {
  // `name` names the test's folder of screenshots and accessibility results.
  constructor(name, { viewport = DESKTOP, colorScheme = "light" } = {}) {
    this.name = name;
    this.options = { viewport, colorScheme };
    this.dir = path.join(OUTPUT, name);
    this.errors = [];
    this.expectedStatuses = new Set();
    this.axe = [];
    this.shots = 0;
  }

  async open() {
    mkdirSync(this.dir, { recursive: true });
    this.context = await (await launch()).newContext({ ...this.options, acceptDownloads: true });
    // Every layout shift of every page, as the browser measures it (Layout Instability API).
    await this.context.addInitScript(() => {
      window.__layoutShift = 0;
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) if (!e.hadRecentInput) window.__layoutShift += e.value;
      }).observe({ type: "layout-shift", buffered: true });
    });
    this.page = await this.context.newPage();
    // Only our pages count: the identity provider's sign-in page is not ours to judge.
    const ours = () => this.origin && this.page.url().startsWith(this.origin);
    this.page.on("console", (m) => {
      if (m.type() !== "error" || !ours()) return;
      // Chromium itself logs every answer >= 400 of a fetch; a test that provokes one
      // on purpose (a wrong password) declares its status.
      const status = /Failed to load resource: the server responded with a status of (\d+)/.exec(m.text());
      if (status && this.expectedStatuses.has(Number(status[1]))) return;
      this.errors.push(`console: ${m.text()} (${this.page.url()})`);
    });
    this.page.on("pageerror", (e) => {
      if (ours()) this.errors.push(`page error: ${e.message} (${this.page.url()})`);
    });
    return this.page;
  }

  // The test provokes answers with this HTTP status on purpose.
  expectStatus(status) {
    this.expectedStatuses.add(status);
  }

  // Goes to `pathname` of `server` and waits until the page is quiet (hydrated).
  async go(server, pathname) {
    this.origin = server.url;
    await this.page.goto(server.url + pathname, { waitUntil: "networkidle" });
    return this.page;
  }

  // The cumulative layout shift of the current page since it loaded (0: nothing moved).
  async layoutShift() {
    return this.page.evaluate(() => window.__layoutShift ?? 0);
  }

  async screenshot(label) {
    const file = path.join(this.dir, `${String(++this.shots).padStart(2, "0")}-${label}.png`);
    await this.page.screenshot({ path: file, fullPage: true });
    return file;
  }

  // axe-core on the page as it is now; throws on serious or critical violations.
  async checkAccessibility(label) {
    // Evaluated through the DevTools protocol, which the page's CSP does not govern.
    await this.page.evaluate(AXE_SOURCE);
    const result = await this.page.evaluate(async () => {
      // eslint-disable-next-line no-undef
      const r = await axe.run(document, { resultTypes: ["violations"] });
      return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => n.target.join(" ")) }));
    });
    this.axe.push({ page: this.page.url(), label, violations: result });
    const bad = result.filter((v) => v.impact === "serious" || v.impact === "critical");
    if (bad.length)
      throw new Error(`accessibility (${label}, ${this.page.url()}): ${JSON.stringify(bad, null, 2)}`);
    return result;
  }

  // Ends the visit: writes the accessibility results, and fails on any console error.
  async close() {
    writeFileSync(path.join(this.dir, "axe.json"), JSON.stringify(this.axe, null, 2) + "\n");
    await this.context?.close();
    if (this.errors.length) throw new Error(`the pages logged errors:\n${this.errors.join("\n")}`);
  }
}
