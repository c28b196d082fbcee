// The demo behind `npm start`: a global CP, zone CPs east and west (each with its embedded SQLite store under the
// data directory), the demo mesh and policies applied on the global, for every demo service a workload and a real
// `zonemesh-dp` proxy in its zone, one zone ingress per zone, a little traffic through the proxies, and the GUI.
// Runs until Ctrl-C (or SIGTERM), then stops every process it started; a second start reuses the same data.
// Ports and the data directory come from the environment (demo-config.ts); `<dataDir>/demo-state.json` lists the
// processes once everything is up.
import { spawn } from "node:child_process";
import { appendFileSync, mkdirSync, readdirSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { call } from "../../apps/cp/src/api/testing";
import { startCpProcess, type CpProcess } from "../../apps/cp/src/testing/cp-process";
import { eventually } from "../../apps/cp/src/testing/eventually";
import { issueZoneToken } from "../../apps/cp/src/testing/multizone";
import { startChild, type DemoChild } from "./child-process";
import { demoZones, readDemoConfig, repoRoot, STARTUP_TIMEOUT_MS, type DemoZone } from "./demo-config";
import { dataplaneName, demoDataplane, demoExternalService, demoOutsideWorkload, demoServices, demoZoneIngress, ingressOffsets } from "./demo-services";
import { removeDemoState, writeDemoState, type DemoProxyState } from "./demo-state";
import { startProxy } from "./proxies";
import { startTraffic, type TrafficGenerator, type TrafficRoute } from "./traffic";
import { startWorkload, type Workload } from "./workloads";

const config = readDemoConfig();
const logDir = join(config.dataDir, "logs");
const logFile = (name: string) => join(logDir, `${name}.log`);
/** Prints a line and keeps it in logs/demo.log. */
function log(line: string): void {
  const stamped = `${new Date().toISOString().slice(11, 19)} ${line}`;
  console.log(stamped);
  appendFileSync(logFile("demo"), `${stamped}\n`);
}

const cps: CpProcess[] = [];
const children: DemoChild[] = [];
const workloads: Workload[] = [];
let traffic: TrafficGenerator | undefined;
let shuttingDown: Promise<never> | undefined;

/** Stops everything the demo started (once, however many signals arrive) and exits. */
function shutdown(code: number): Promise<never> {
  shuttingDown ??= (async () => {
    traffic?.stop();
    await removeDemoState(config.dataDir);
    await Promise.all([...children.map((child) => child.stop()), ...workloads.map((workload) => workload.close())]);
    await Promise.all(cps.map((cp) => cp.stop()));
    process.exit(code);
  })();
  return shuttingDown;
}
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) process.on(signal, () => void shutdown(0));

/** Keeps a child in the list to stop, and says so if it dies while the demo runs. */
function track(child: DemoChild): DemoChild {
  children.push(child);
  if (shuttingDown) void child.stop();
  void child.exited.then((code) => {
    if (shuttingDown) return;
    const message = `${child.label} (pid ${child.pid}) exited with ${code}; its last output:\n${child.recentOutput()}`;
    if (up) log(message);
    else failStartup(new Error(message));
  });
  return child;
}

let up = false;
let failStartup: (error: Error) => void = () => {};
/** Rejects when a child dies before the demo is up: no point waiting for the rest. */
const childDiedWhileStarting = new Promise<never>((_, reject) => (failStartup = reject));

/** Keeps a CP in the list to stop (at once if the demo is already stopping) and copies its output to its log file. */
function keepCp(cp: CpProcess, name: string): void {
  cps.push(cp);
  if (shuttingDown) void cp.stop();
  // startCpProcess keeps the CP's output in memory.
  let written = 0;
  const flush = () => {
    const output = cp.output();
    if (output.length > written) appendFileSync(logFile(name), output.slice(written));
    written = output.length;
  };
  setInterval(flush, 1_000).unref();
}

/** Applies examples/demo/*.yaml on the global CP with zmctl, as a user would. */
function applyExamples(global: CpProcess): Promise<void> {
  const dir = join(repoRoot, "examples/demo");
  const files = readdirSync(dir).sort().flatMap((file) => ["-f", join(dir, file)]);
  const zmctl = spawn(process.execPath, [join(repoRoot, "apps/cli/bin/zmctl.mjs"), "apply", "--api-url", global.apiUrl, ...files], { stdio: ["ignore", "inherit", "inherit"] });
  return new Promise((resolve, reject) => zmctl.on("exit", (code) => (code === 0 ? resolve() : reject(new Error(`zmctl apply exited with ${code}`)))));
}

/** The ExternalService of the workload outside the mesh, applied on the global's API, with that workload started. */
async function startOutsideWorkload(global: CpProcess): Promise<void> {
  workloads.push(await startWorkload(config.port(demoOutsideWorkload.offset), `${demoOutsideWorkload.service} (outside the mesh)`));
  const document = demoExternalService(config);
  const response = await fetch(`${global.apiUrl}/meshes/${document.mesh}/external-services/${document.name}`, {
    method: "PUT",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(document),
  });
  if (!response.ok) throw new Error(`ExternalService ${document.name}: HTTP ${response.status} ${await response.text()}`);
}

/** `next start` of the GUI's build, talking to the global CP's API. */
function startGui(global: CpProcess): DemoChild {
  const webDir = join(repoRoot, "apps/web");
  const next = createRequire(join(webDir, "package.json")).resolve("next/dist/bin/next");
  const env = { ...process.env, ZONEMESH_API_URL: global.apiUrl, NEXT_TELEMETRY_DISABLED: "1" };
  return track(startChild("gui", process.execPath, [next, "start", "-p", String(config.guiPort), "-H", "127.0.0.1"], { cwd: webDir, env, logFile: logFile("gui") }));
}

async function startZone(global: CpProcess, zone: DemoZone): Promise<{ cp: CpProcess; proxies: DemoProxyState[] }> {
  const token = await issueZoneToken(global, zone);
  mkdirSync(join(config.dataDir, zone), { recursive: true });
  const cp = await startCpProcess({ mode: "zone", zone, globalKdsAddress: global.kdsAddress, zoneToken: token, dataDir: join(config.dataDir, zone), ports: config.cpPorts[zone], startTimeoutMs: STARTUP_TIMEOUT_MS });
  keepCp(cp, `cp-${zone}`);
  log(`zone CP ${zone}: API ${cp.apiUrl}, xDS ${cp.xdsAddress}`);
  const services = demoServices.filter((s) => s.zone === zone);
  for (const s of services) workloads.push(await startWorkload(config.port(s.offsets.workload), `${s.service} ${s.version} in ${s.zone}`));
  const proxyDir = (name: string) => join(config.dataDir, "proxies", name);
  const started = await Promise.all([
    ...services.map(async (s) => {
      const adminPort = config.port(s.offsets.admin);
      const child = await startProxy({ zoneCp: cp, document: demoDataplane(s, config), adminPort, dir: proxyDir(dataplaneName(s)), logFile: logFile(dataplaneName(s)) });
      return { name: dataplaneName(s), type: "Dataplane" as const, zone, child, adminPort };
    }),
    (async () => {
      const document = demoZoneIngress(zone, config);
      const adminPort = config.port(ingressOffsets[zone].admin);
      const child = await startProxy({ zoneCp: cp, document, adminPort, dir: proxyDir(document.name), logFile: logFile(document.name) });
      return { name: document.name, type: "ZoneIngress" as const, zone, child, adminPort };
    })(),
  ]);
  for (const { child } of started) track(child);
  return { cp, proxies: started.map(({ name, type, child, adminPort }) => ({ name, type, zone, pid: child.pid, adminUrl: `http://127.0.0.1:${adminPort}` })) };
}

type Insight = { subscriptions?: { connectTime?: string; disconnectTime?: string }[] } | undefined;

/** Kuma's rule: connected while the newest subscription has not disconnected. */
const isConnected = (insight: Insight) => {
  const newest = insight?.subscriptions?.at(-1);
  return Boolean(newest?.connectTime) && !newest?.disconnectTime;
};

/** Waits until the global CP (and so the GUI) sees every demo proxy connected to its zone CP (the global names zone
 * resources `<name>-<hash>`, with the zone's name in the display-name label). */
async function waitForProxiesOnline(global: CpProcess, proxies: DemoProxyState[]): Promise<void> {
  const lists = [
    { type: "Dataplane", path: "/meshes/default/dataplanes+insights?size=100", insight: (item: Record<string, unknown>) => item.dataplaneInsight as Insight },
    { type: "ZoneIngress", path: "/zoneingresses+insights?size=100", insight: (item: Record<string, unknown>) => item.zoneIngressInsight as Insight },
  ];
  await eventually(
    async () => {
      const online = new Set<string>();
      for (const list of lists) {
        const response = await call(global.apiUrl, "GET", list.path);
        if (response.status !== 200) throw new Error(`GET ${list.path} on the global CP: ${response.status} ${JSON.stringify(response.body)}`);
        for (const item of response.body.items as (Record<string, unknown> & { name: string; labels?: Record<string, string> })[]) {
          if (isConnected(list.insight(item))) online.add(`${list.type}/${item.labels?.["kuma.io/display-name"] ?? item.name}`);
        }
      }
      const offline = proxies.filter((proxy) => !online.has(`${proxy.type}/${proxy.name}`)).map((proxy) => proxy.name);
      if (offline.length > 0) throw new Error(`proxies not online on the global CP: ${offline.join(", ")}`);
    },
    STARTUP_TIMEOUT_MS,
    500,
  );
}

/** Waits until every proxy has its configuration (its admin /ready answers 200), so traffic can flow. */
async function waitForProxiesReady(proxies: DemoProxyState[]): Promise<void> {
  await eventually(
    async () => {
      const ready = await Promise.all(proxies.map((proxy) => fetch(`${proxy.adminUrl}/ready`).then((response) => response.ok, () => false)));
      const waiting = proxies.filter((_, i) => !ready[i]).map((proxy) => proxy.name);
      if (waiting.length > 0) throw new Error(`proxies without configuration: ${waiting.join(", ")}`);
    },
    STARTUP_TIMEOUT_MS,
    500,
  );
}

async function waitForGui(gui: DemoChild, url: string): Promise<void> {
  await eventually(
    async () => {
      const response = await fetch(url).catch((error: Error) => {
        throw new Error(`GUI at ${url} does not answer (${error.message}); its output:\n${gui.recentOutput()}`);
      });
      if (!response.ok) throw new Error(`GUI at ${url} answered ${response.status}`);
    },
    STARTUP_TIMEOUT_MS,
    500,
  );
}

/** Starts everything; resolves once every proxy is online and ready and the GUI answers. */
async function start(): Promise<void> {
  mkdirSync(logDir, { recursive: true });
  await removeDemoState(config.dataDir);
  const global = await startCpProcess({ mode: "global", defaultMesh: true, dataDir: join(config.dataDir, "global"), ports: config.cpPorts.global, startTimeoutMs: STARTUP_TIMEOUT_MS });
  keepCp(global, "cp-global");
  log(`global CP: API ${global.apiUrl}, KDS ${global.kdsAddress}`);
  const gui = startGui(global);
  // The zones start while the mesh is applied: their proxies' tokens wait for it to arrive over KDS.
  const [zones] = await Promise.all([Promise.all(demoZones.map((zone) => startZone(global, zone))), applyExamples(global).then(() => startOutsideWorkload(global))]);
  const guiUrl = `http://127.0.0.1:${config.guiPort}`;
  const proxies = zones.flatMap((zone) => zone.proxies);
  await Promise.all([waitForProxiesOnline(global, proxies), waitForProxiesReady(proxies), waitForGui(gui, guiUrl)]);
  up = true;

  const routes: TrafficRoute[] = demoServices.flatMap((s) => s.calls.map((c) => ({ name: `${dataplaneName(s)} -> ${c.service}`, port: config.port(c.offset) })));
  traffic = startTraffic(routes, log);
  const [east, west] = zones as [(typeof zones)[0], (typeof zones)[0]];
  const cpState = (cp: CpProcess) => ({ pid: cp.pid, apiUrl: cp.apiUrl, kdsAddress: cp.kdsAddress, xdsAddress: cp.xdsAddress });
  await writeDemoState(config.dataDir, {
    pid: process.pid,
    guiUrl,
    gui: { pid: gui.pid },
    cps: { global: cpState(global), east: cpState(east.cp), west: cpState(west.cp) },
    proxies,
    traffic: routes.map((route) => ({ name: route.name, url: `http://127.0.0.1:${route.port}/` })),
  });
  console.log(`
zonemesh demo is up
  GUI:               ${guiUrl}
  global CP API:     ${global.apiUrl}   (zmctl: node apps/cli/bin/zmctl.mjs get meshes)
  zone east CP API:  ${east.cp.apiUrl}
  zone west CP API:  ${west.cp.apiUrl}
  proxies:           ${proxies.map((p) => `${p.name} (admin ${p.adminUrl})`).join(", ")}
  traffic:           ${routes.map((route) => `${route.name} via 127.0.0.1:${route.port}`).join(", ")}
Ctrl-C stops everything; data stays in ${config.dataDir} (delete it to start over).
`);
}

try {
  await Promise.race([start(), childDiedWhileStarting]);
} catch (error) {
  if (!shuttingDown) {
    console.error(error instanceof Error ? error.message : error);
    await shutdown(1);
  }
}
