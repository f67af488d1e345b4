// Next.js configuration: a static export (out/) that mecapyd serves at `/`, or any CDN.
// No server features: every page renders in the browser and talks to the API with fetch.
import type { NextConfig } from "next";

const config: NextConfig = {
  output: "export",
  trailingSlash: true,
  images: { unoptimized: true },
  reactStrictMode: true,
};

export default config;
