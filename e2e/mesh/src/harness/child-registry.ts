// Every process the harness starts, so none outlives the test process, even when a test fails or the runner is
// interrupted before the `after` hooks run.
const pids = new Set<number>();

function killAll(): void {
  for (const pid of pids) {
    try {
      process.kill(pid, "SIGKILL");
    } catch {
      // already gone
    }
  }
  pids.clear();
}

process.once("exit", killAll);
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    killAll();
    process.exit(130);
  });
}

export const trackChild = (pid: number) => void pids.add(pid);
export const untrackChild = (pid: number) => void pids.delete(pid);
