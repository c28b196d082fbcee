import { startAdminServer, type AdminServer } from "./admin/admin-server";
import { AdsConnection, type AdsEvent } from "./ads/ads-client";
import { dpNode } from "./ads/dp-node";
import { startDnsServer, type DnsServer } from "./dns/dns-server";
import { serviceVips } from "./dns/service-vips";
import { systemResolver } from "./dns/system-resolver";
import { Engine } from "./engine/engine";

export interface ProxyOptions {
  cpAddress: string;
  nodeId: string;
  token: string | undefined;
  dnsPort: number | undefined;
  adminPort: number;
  log: (line: string) => void;
}

/** The built-in data plane proxy: engine fed by ADS, embedded DNS, admin endpoint. */
export class DataplaneProxy {
  readonly engine = new Engine();
  #connection: AdsConnection | undefined;
  readonly #acked = new Set<string>();
  #admin: AdminServer | undefined;
  #dns: DnsServer | undefined;

  constructor(readonly options: ProxyOptions) {}

  #onEvent(event: AdsEvent): void {
    const stats = this.engine.stats;
    switch (event.kind) {
      case "connected":
        stats.add("ads_connected_total", {});
        this.options.log(`connected to ${this.options.cpAddress}`);
        break;
      case "disconnected":
        stats.add("ads_disconnected_total", {});
        this.options.log(`ADS stream ended (${event.reason}); retrying in ${event.retryInMs} ms with the last good config`);
        break;
      case "ack":
        this.#acked.add(event.typeUrl);
        stats.add("ads_ack_total", { type_url: event.typeUrl });
        break;
      case "nack":
        stats.add("ads_nack_total", { type_url: event.typeUrl });
        this.options.log(`NACK ${event.typeUrl} version ${event.version}: ${event.error}`);
        break;
    }
  }

  /** Ready once listeners and clusters have been applied, as Envoy is once its initial LDS/CDS are in. */
  ready(): boolean {
    return this.#acked.has("type.googleapis.com/envoy.config.listener.v3.Listener") && this.#acked.has("type.googleapis.com/envoy.config.cluster.v3.Cluster");
  }

  async start(): Promise<{ adminPort: number; dnsPort: number | undefined }> {
    this.#admin = await startAdminServer(this.options.adminPort, {
      ready: () => this.ready(),
      configDump: () => ({ node: this.options.nodeId, connected: this.#connection?.connected ?? false, ...this.engine.configDump() }),
      prometheus: () => this.engine.stats.prometheus(),
    });
    if (this.options.dnsPort !== undefined) {
      this.#dns = await startDnsServer({ port: this.options.dnsPort, resolve: (name) => serviceVips(this.engine.configDump().listeners).get(name), upstream: systemResolver() });
    }
    // The node names the admin port: started first, so that a port chosen by the system is known.
    this.#connection = new AdsConnection({
      address: this.options.cpAddress,
      node: dpNode(this.options.nodeId, this.#admin.port),
      token: this.options.token,
      target: this.engine,
      onEvent: (event) => this.#onEvent(event),
    });
    this.#connection.start();
    return { adminPort: this.#admin.port, dnsPort: this.#dns?.port };
  }

  async stop(): Promise<void> {
    this.#connection?.stop();
    await Promise.all([this.engine.close(), this.#admin?.close(), this.#dns?.close()]);
  }
}
