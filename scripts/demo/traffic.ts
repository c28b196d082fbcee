// The demo's traffic: about once a second, a request through every outbound listener of every demo proxy
// (as the workload would call its upstreams). Prints when a route first works and a summary every half minute.
import http from "node:http";

export interface TrafficRoute {
  /** e.g. "frontend-v1-east -> backend". */
  name: string;
  port: number;
}

export interface TrafficGenerator {
  stop(): void;
}

function get(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const request = http.get({ host: "127.0.0.1", port, path: "/", agent: false, timeout: 3_000 }, (response) => {
      let body = "";
      response.on("data", (chunk: Buffer) => (body += chunk.toString()));
      response.on("end", () => (response.statusCode === 200 ? resolve(body.trim()) : reject(new Error(`HTTP ${response.statusCode}: ${body.trim().slice(0, 200)}`))));
    });
    request.on("timeout", () => request.destroy(new Error("no answer within 3 s")));
    request.on("error", reject);
  });
}

interface RouteCounts {
  ok: number;
  failed: number;
  answers: Set<string>;
  lastError: string;
  everWorked: boolean;
}

export function startTraffic(routes: TrafficRoute[], log: (line: string) => void, { intervalMs = 1_000, summaryMs = 30_000 } = {}): TrafficGenerator {
  const fresh = (everWorked: boolean): RouteCounts => ({ ok: 0, failed: 0, answers: new Set(), lastError: "", everWorked });
  const counts = new Map(routes.map((route) => [route.name, fresh(false)]));
  const send = async (route: TrafficRoute) => {
    const count = counts.get(route.name)!;
    try {
      const answer = await get(route.port);
      count.ok++;
      count.answers.add(answer);
      if (!count.everWorked) log(`traffic ${route.name}: working (answered by ${answer})`);
      count.everWorked = true;
    } catch (error) {
      count.failed++;
      count.lastError = (error as Error).message;
    }
  };
  const summarize = () => {
    const lines = routes.map((route) => {
      const count = counts.get(route.name)!;
      counts.set(route.name, fresh(count.everWorked));
      const answers = count.answers.size > 0 ? `, answered by ${[...count.answers].join(" / ")}` : "";
      return `  ${route.name}: ${count.ok} ok, ${count.failed} failed${answers}${count.failed > 0 ? ` (last error: ${count.lastError})` : ""}`;
    });
    log(`traffic in the last ${summaryMs / 1000} s:\n${lines.join("\n")}`);
  };
  const ticks = setInterval(() => void Promise.all(routes.map(send)), intervalMs);
  const summaries = setInterval(summarize, summaryMs);
  return {
    stop: () => {
      clearInterval(ticks);
      clearInterval(summaries);
    },
  };
}
