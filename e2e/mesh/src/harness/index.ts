export { builtinMtls, startZoneCluster, dataplaneToken, nacks, waitForPolicies, PROPAGATION_MS, type ZoneCluster, type ZoneClusterOptions, type StartDataplaneOptions } from "./zone-cluster";
export { startDataplaneProcess, type DataplaneProcess, type DataplaneProcessOptions } from "./dataplane-process";
export { allowAll, startClientAndBackend } from "./client-backend";
