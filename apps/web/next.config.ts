import type { NextConfig } from "next";

const config: NextConfig = {
  // The shared schemas are TypeScript sources (the package exports src/index.ts).
  transpilePackages: ["@zonemesh/resources"],
  reactStrictMode: true,
};

export default config;
