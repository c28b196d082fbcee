// A throwaway PostgreSQL server for tests and benches: a fresh cluster in a temp dir, listening on a
// free port of 127.0.0.1 (its unix socket stays in the temp dir), removed again by stop().
import { execFile, execFileSync } from "node:child_process";
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir, userInfo } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import pg from "pg";
import { freePort } from "@zonemesh/testing";

export interface ThrowawayPostgres {
  /** URL of the cluster's `postgres` database. */
  url: string;
  /** Creates an empty database in the cluster and returns its URL (one per test keeps tests apart). */
  createDatabase(): Promise<string>;
  stop(): Promise<void>;
}

const run = promisify(execFile);
const user = "zonemesh";

function findBinDir(): string {
  const root = "/usr/lib/postgresql";
  const versions = existsSync(root) ? readdirSync(root).filter((v) => existsSync(join(root, v, "bin", "initdb"))) : [];
  const newest = versions.sort((a, b) => Number(b) - Number(a))[0];
  if (!newest) {
    throw new Error(
      `PostgreSQL server programs not found (looked for ${root}/*/bin/initdb): install Debian's postgresql package (apt-get install -y postgresql)`,
    );
  }
  return join(root, newest, "bin");
}

export interface ThrowawayPostgresOptions {
  /**
   * Flush commits to disk as a real server does (for benchmarks). Off by default: tests gain speed
   * from a cluster that need not survive a crash.
   */
  durable?: boolean;
}

export async function startThrowawayPostgres(options: ThrowawayPostgresOptions = {}): Promise<ThrowawayPostgres> {
  const bin = findBinDir();
  const dir = mkdtempSync(join(tmpdir(), "zonemesh-pg-"));
  const data = join(dir, "data");
  // initdb refuses to run as root: run the server programs as Debian's postgres user then.
  const asRoot = userInfo().uid === 0;
  if (asRoot) {
    const { uid, gid } = postgresUser();
    chownSync(dir, uid, gid);
  }
  const command = (program: string, args: string[]): [string, string[]] =>
    asRoot ? ["runuser", ["-u", "postgres", "--", join(bin, program), ...args]] : [join(bin, program), args];
  const pgCtl = (args: string[]) => command("pg_ctl", ["-D", data, ...args]);

  await run(...command("initdb", ["-D", data, "-A", "trust", "-U", user, "-E", "UTF8", "--locale=C", "--no-sync"]), { cwd: dir });
  const port = await freePort();
  const serverOptions = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1${options.durable ? "" : " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"}`;
  await run(...pgCtl(["-w", "-l", join(dir, "log"), "-o", serverOptions, "start"]), { cwd: dir });

  // If the process exits without stop(), the server must not outlive it.
  const stopNow = () => {
    execFileSync(...pgCtl(["-m", "immediate", "stop"]), { cwd: dir, stdio: "ignore" });
    rmSync(dir, { recursive: true, force: true });
  };
  process.once("exit", stopNow);

  const baseUrl = `postgresql://${user}@127.0.0.1:${port}`;
  let databases = 0;
  return {
    url: `${baseUrl}/postgres`,
    async createDatabase() {
      const name = `test_${++databases}`;
      const client = new pg.Client({ connectionString: `${baseUrl}/postgres` });
      await client.connect();
      try {
        // A locale whose collation is not bytewise, as production databases often have.
        await client.query(`CREATE DATABASE ${name} TEMPLATE template0 LOCALE_PROVIDER icu ICU_LOCALE 'en-US' LOCALE 'C.UTF-8' STRATEGY = FILE_COPY`);
      } finally {
        await client.end();
      }
      return `${baseUrl}/${name}`;
    },
    async stop() {
      process.removeListener("exit", stopNow);
      await run(...pgCtl(["-w", "-m", "fast", "stop"]), { cwd: dir });
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function postgresUser(): { uid: number; gid: number } {
  const id = (flag: string) => Number(execFileSync("id", [flag, "postgres"], { stdio: ["ignore", "pipe", "ignore"] }).toString());
  try {
    return { uid: id("-u"), gid: id("-g") };
  } catch {
    throw new Error("there is no postgres user to run PostgreSQL as (root may not): install Debian's postgresql package");
  }
}
