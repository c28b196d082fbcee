// The GUI in Debian's Chromium against the `npm start` demo (global CP, zones east and west, real proxies and
// traffic), started on the e2e's own ports and data directory (demo-instance.ts). Run after
// `npm run build -w @zonemesh/web` (the demo runs `next start` on the build). The demo's logs (launcher, CPs,
// proxies, GUI) are copied to test-results/web/demo-logs when it stops.
import { defineConfig } from "@playwright/test";
import { guiPort } from "./demo-instance";

export default defineConfig({
  testDir: ".",
  outputDir: "../../test-results/web",
  // Tests share one demo and run in file order: the last one kills a zone CP.
  workers: 1,
  fullyParallel: false,
  timeout: 60_000,
  expect: { timeout: 15_000 },
  use: {
    baseURL: `http://127.0.0.1:${guiPort}`,
    viewport: { width: 1280, height: 800 },
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    },
  },
  webServer: {
    command: "node --experimental-wasm-modules --no-warnings --import tsx demo-server.mts",
    // The demo prints this once every proxy is online and the GUI answers.
    wait: { stdout: /zonemesh demo is up/ },
    gracefulShutdown: { signal: "SIGTERM", timeout: 30_000 },
    timeout: 420_000,
  },
});
