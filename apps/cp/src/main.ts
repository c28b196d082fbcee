// `zonemesh-cp`: runs one control plane (global, zone or standalone) until SIGINT/SIGTERM.
import { readConfig } from "./config";
import { startControlPlane } from "./control-plane";

const config = (() => {
  try {
    return readConfig(process.argv.slice(2), process.env);
  } catch (error) {
    console.error((error as Error).message);
    process.exit(2);
  }
})();

const cp = await startControlPlane(config);
console.log(`zonemesh-cp ${config.mode}${config.zone ? ` zone=${config.zone}` : ""}: API on ${cp.api.address.url}`);

let stopping = false;
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    cp.close().then(
      () => process.exit(0),
      (error) => {
        console.error(error);
        process.exit(1);
      },
    );
  });
}
