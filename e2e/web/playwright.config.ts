// The GUI in Debian's Chromium against a seeded global CP API. Run after `npm run build` (next start serves the build).
import { defineConfig } from "@playwright/test";

const cpPort = 5791;
const guiPort = 3791;

export default defineConfig({
  testDir: ".",
  outputDir: "../../test-results/web",
  timeout: 60_000,
  workers: 1,
  use: {
    baseURL: `http://127.0.0.1:${guiPort}`,
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    },
  },
  webServer: [
    {
      command: "node --experimental-wasm-modules --no-warnings --import tsx seeded-cp.mts",
      url: `http://127.0.0.1:${cpPort}/`,
      env: { ZONEMESH_E2E_CP_PORT: String(cpPort) },
      timeout: 120_000,
    },
    {
      command: `npx next start -p ${guiPort}`,
      cwd: "../../apps/web",
      url: `http://127.0.0.1:${guiPort}/`,
      env: { ZONEMESH_API_URL: `http://127.0.0.1:${cpPort}`, NEXT_TELEMETRY_DISABLED: "1" },
      timeout: 60_000,
    },
  ],
});
