// A zone ingress (`zonemesh-dp run --proxy-type ingress`) of a zone of the cluster: the address other zones reach
// that zone's services through.
import { stringify } from "yaml";
import { call } from "@zonemesh/cp/testing";
import type { CpProcess } from "@zonemesh/cp/testing/cp-process";
import { freePort } from "@zonemesh/testing";
import type { DataplaneProcess } from "./dataplane-process";
import type { ZoneCluster } from "./zone-cluster";

export interface ZoneIngress {
  name: string;
  /** The listener port, also the advertised one (127.0.0.1 both). */
  port: number;
  dp: DataplaneProcess;
}

/** A zone ingress token issued by the zone CP (as `POST /tokens/zone-ingress`). */
export async function zoneIngressToken(cp: CpProcess, zone: string): Promise<string> {
  const response = await call(cp.apiUrl, "POST", "/tokens/zone-ingress", { body: { zone } });
  if (response.status !== 200) throw new Error(`zone ingress token for "${zone}": ${response.status} ${JSON.stringify(response.body)}`);
  return response.body as string;
}

/** Starts the ingress `<zone>-ingress` of `zone` on a free port of 127.0.0.1, advertised as is; waits for `/ready`. */
export async function startZoneIngress(cluster: ZoneCluster, zone: string): Promise<ZoneIngress> {
  const name = `${zone}-ingress`;
  const port = await freePort();
  const yaml = stringify({ type: "ZoneIngress", name, networking: { address: "127.0.0.1", port, advertisedAddress: "127.0.0.1", advertisedPort: port } });
  const token = await zoneIngressToken(cluster.zones[zone]!, zone);
  const dp = await cluster.startDataplane({ zone, yaml, proxyType: "ingress", token });
  return { name, port, dp };
}
