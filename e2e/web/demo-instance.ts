// The demo instance the GUI e2e runs against: its own ports and data directory, so it never meets a user's
// `npm start` demo. Shared by the Playwright config (which starts it) and the tests (which read its state file).
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { readDemoState, type DemoState } from "../../scripts/demo/demo-state";

export const demoPortBase = 5791;
export const guiPort = 3791;
export const demoDataDir = join(tmpdir(), "zonemesh-e2e-web-demo");

export const demoEnv = {
  ZONEMESH_DEMO_PORT_BASE: String(demoPortBase),
  ZONEMESH_DEMO_GUI_PORT: String(guiPort),
  ZONEMESH_DEMO_DATA_DIR: demoDataDir,
};

/** Where the run leaves a screenshot of each page (docs/screenshots holds a committed set). */
export const screenshotDir = fileURLToPath(new URL("../../test-results/web/screenshots/", import.meta.url));

export const demoState = (): Promise<DemoState> => readDemoState(demoDataDir);
