// Sums up the accessibility results of a browser-test run: every page checked, and the
// violations axe-core found by impact (serious and critical ones already failed their
// test). Usage: node lib/axe-summary.mjs OUTPUT_DIR
import { readdirSync, readFileSync, existsSync } from "node:fs";
import path from "node:path";

const dir = process.argv[2];
const checks = [];
for (const test of readdirSync(dir)) {
  const file = path.join(dir, test, "axe.json");
  if (existsSync(file)) for (const c of JSON.parse(readFileSync(file, "utf8"))) checks.push({ test, ...c });
}
const byImpact = {};
for (const c of checks) for (const v of c.violations) byImpact[v.impact] = (byImpact[v.impact] ?? 0) + 1;
const rules = [...new Set(checks.flatMap((c) => c.violations.map((v) => `${v.id} (${v.impact})`)))];
console.log(`axe-core: ${checks.length} page states checked; violations by impact: ${
  Object.keys(byImpact).length ? JSON.stringify(byImpact) : "none"}${rules.length ? `; rules: ${rules.join(", ")}` : ""}`);
