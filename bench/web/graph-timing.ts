// Time to an interactive topology graph in Debian's Chromium: from navigation start until the service nodes are
// drawn, and until a click on one has opened its side panel.
import { chromium } from "playwright-core";

const chromiumArgs = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  // Chromium 156 loads its own omnibox/search WebUI in a separate renderer for every new window, even headless:
  // about a core for the first 1.5 s of each page (seen in a trace), which on two cores delays the page measured.
  "--disable-features=PreloadTopChromeWebUI,WebUIOmniboxPopup,WebUIOmniboxFullPopup,WebUIOmniboxAimPopup",
];

export interface GraphTiming {
  view: string;
  /** Navigation start -> first node visible; null when not within the time limit. */
  drawnMs: number | null;
  /** Navigation start -> a node clicked and its result shown; null when not within the time limit. */
  interactiveMs: number | null;
  nodes: number;
}

export const graphTimeLimitMs = 20_000;

export async function timeGraph(guiUrl: string, runs: number): Promise<GraphTiming[]> {
  // Playwright gives each launch a fresh temporary profile.
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium", args: chromiumArgs });
  try {
    const timings: GraphTiming[] = [];
    const views = [
      // The default: above 200 service nodes (DEFAULT_NODE_LIMIT) the graph opens collapsed by zone; a click expands a zone.
      { view: "default (collapsed by zone); a click on a zone puts it in the URL", path: "/topology?mesh=default", clicked: "zone" },
      { view: "one zone (zone=zone-1: 200 of its 2,000 service nodes); a click opens the side panel", path: "/topology?mesh=default&zone=zone-1&collapse=0", clicked: "panel" },
      { view: "service nodes (collapse=0: 200 of 6,000); a click opens the side panel", path: "/topology?mesh=default&collapse=0", clicked: "panel" },
    ];
    for (const { view, path, clicked } of views) {
      for (let run = 0; run < runs; run++) {
        const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
        const start = performance.now();
        let drawnMs: number | null = null;
        let interactiveMs: number | null = null;
        try {
          await page.goto(guiUrl + path, { waitUntil: "commit" });
          const node = page.locator(".topology-service").first();
          await node.waitFor({ state: "visible", timeout: graphTimeLimitMs });
          drawnMs = performance.now() - start;
          await node.click({ timeout: graphTimeLimitMs });
          if (clicked === "zone") await page.waitForURL(/[?&]zone=/, { timeout: graphTimeLimitMs });
          else await page.locator("aside[aria-label='Service details']").waitFor({ state: "visible", timeout: graphTimeLimitMs });
          interactiveMs = performance.now() - start;
        } catch (error) {
          if ((error as Error).name !== "TimeoutError") throw error;
        }
        timings.push({ view, drawnMs, interactiveMs, nodes: await page.locator(".topology-service").count().catch(() => -1) });
        await page.close();
      }
    }
    return timings;
  } finally {
    await browser.close();
  }
}
