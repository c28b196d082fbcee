import type { NextConfig } from "next";

const config: NextConfig = {
  // The shared schemas are TypeScript sources (the package exports src/index.ts).
  transpilePackages: ["@zonemesh/resources"],
  reactStrictMode: true,
  // The build type-checks the app only: tests and their CP fixture (apps/cp, the store's generated client) are
  // type-checked by `npm run typecheck`, so `next build` does not depend on other workspaces being built.
  typescript: { tsconfigPath: "tsconfig.app.json" },
};

export default config;
