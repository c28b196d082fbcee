// The CP API the bench measures against, on a SQLite store. With BENCH_WEB_DATA_DIR the store is kept there
// between runs, and a run finding it already seeded skips the ~80 s of seeding.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createApiServer, loadOrCreateSigningKeys } from "@zonemesh/cp/api-server";
import { openStore } from "@zonemesh/store";

export async function startBenchCp() {
  const kept = process.env.BENCH_WEB_DATA_DIR;
  const dataDir = kept ?? (await mkdtemp(join(tmpdir(), "zonemesh-bench-web-")));
  const store = await openStore({ dataDir });
  // Standalone: a global CP refuses Dataplanes through its API (zones sync them over KDS).
  const server = await createApiServer({
    store,
    mode: "standalone",
    signingKeys: await loadOrCreateSigningKeys(store),
    version: "0.0.0-bench",
    listen: { host: "127.0.0.1", port: 0 },
  });
  return {
    url: server.address.url,
    dataDir,
    kept: Boolean(kept),
    async close() {
      await server.close();
      await store.close();
      if (!kept) await rm(dataDir, { recursive: true, force: true });
    },
  };
}
