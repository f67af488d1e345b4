// Prints the JavaScript each exported page loads before it is interactive, gzipped as
// mecapyd sends it: every <script src> of the page's HTML in out/, except the polyfills
// only browsers without ES modules load (noModule). Chunks loaded later, on demand (the
// charts library once a job has charts), are not counted. Run after a build:
//   node scripts/first-load-js.mjs [out]
import { readFileSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import { gzipSync } from "node:zlib";

const out = path.resolve(process.argv[2] ?? "out");
const gz = new Map();
const gzipped = (file) => {
  if (!gz.has(file)) gz.set(file, gzipSync(readFileSync(file), { level: 9 }).length);
  return gz.get(file);
};

function pages(dir, prefix = "/") {
  const found = [];
  for (const name of readdirSync(dir)) {
    const full = path.join(dir, name);
    if (name === "_next" || name.startsWith(".")) continue;
    if (statSync(full).isDirectory()) found.push(...pages(full, `${prefix}${name}/`));
    else if (name === "index.html") found.push([prefix, full]);
  }
  return found;
}

const rows = pages(out)
  .map(([route, html]) => {
    const text = readFileSync(html, "utf8");
    const tags = [...text.matchAll(/<script[^>]+src="([^"]+\.js)"[^>]*>/g)].filter((m) => !/noModule/i.test(m[0]));
    const scripts = [...new Set(tags.map((m) => m[1]))];
    const bytes = scripts.reduce((sum, src) => sum + gzipped(path.join(out, src.replace(/^\//, ""))), 0);
    return { route, scripts: scripts.length, kB: bytes / 1000 };
  })
  .sort((a, b) => a.route.localeCompare(b.route));

console.log("| page | scripts | first-load JS, gzipped |");
console.log("|---|---:|---:|");
for (const r of rows) console.log(`| \`${r.route}\` | ${r.scripts} | ${r.kB.toFixed(1)} kB |`);
