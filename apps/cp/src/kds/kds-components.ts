// The KDS side of a CP by mode: the global serves zones (and refuses proxies), a zone dials the global.
import { randomBytes } from "node:crypto";
import { readFile } from "node:fs/promises";
import { hostname } from "node:os";
import type { ResourceStore } from "@zonemesh/store";
import { createTokenService, type SigningKeys } from "../api-server";
import type { CpConfig } from "../config";
import type { CpComponent } from "../control-plane";
import { cpVersion } from "../version";
import type { XdsComponent } from "../xds/server/xds-component";
import { startGlobalKds } from "./global-kds";
import { startGlobalMeshCas } from "./global-mesh-cas";
import { refuseProxies } from "./refuse-proxies";
import { answerPolicyWarnings, POLICY_WARNINGS_REQUEST } from "./policy-warnings-request";
import { answerXdsConfig, XDS_CONFIG_REQUEST } from "./xds-config-request";
import { startZoneKds } from "./zone-kds";

export interface KdsComponentDeps {
  store: ResourceStore;
  signingKeys: SigningKeys;
  /** A zone answers the global's "xds-config" and "policy-warnings" requests with what its xDS server serves. */
  xds?: Pick<XdsComponent, "servedConfig" | "policyWarnings">;
}

export async function startKdsComponents(config: CpConfig, deps: KdsComponentDeps): Promise<CpComponent[]> {
  const instanceId = `${hostname()}-${randomBytes(2).toString("hex")}`;
  if (config.mode === "global") {
    const kds = await startGlobalKds({
      store: deps.store,
      tokens: createTokenService(deps.signingKeys),
      instanceId,
      listenAddress: `${config.kdsHost}:${config.kdsPort}`,
    });
    try {
      return [kds, await refuseProxies(`${config.kdsHost}:${config.xdsPort}`), await startGlobalMeshCas(deps.store)];
    } catch (error) {
      await kds.close();
      throw error;
    }
  }
  if (config.mode === "zone") {
    const { zoneTokenFile, zoneToken } = config;
    return [
      startZoneKds({
        store: deps.store,
        zone: config.zone!,
        globalAddress: config.globalKdsAddress!,
        instanceId,
        version: cpVersion,
        token: zoneTokenFile ? async () => (await readFile(zoneTokenFile, "utf8")).trim() : () => zoneToken!,
        // A handful of zones redialing is cheap; a zone should not stay cut off for long after the global returns.
        reconnect: { initialDelayMs: 500, maxDelayMs: 5_000 },
        ...(deps.xds
          ? { globalRequests: { [XDS_CONFIG_REQUEST]: answerXdsConfig(deps.xds.servedConfig), [POLICY_WARNINGS_REQUEST]: answerPolicyWarnings(deps.xds.policyWarnings) } }
          : {}),
      }),
    ];
  }
  return [];
}
