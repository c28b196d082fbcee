import type net from "node:net";
import { typeNames, type Listener } from "@zonemesh/xds";
import { durationMs } from "./duration";
import { compileFilterChainMatch } from "./filter-chain-match";
import { bindAddress } from "./listener-address";
import { compileFilterChain, type CompiledFilterChain } from "./listener-filter-chain";
import { typeNameOf } from "./type-name";
import type { Runtime } from "./runtime";
import { inspectTls, rawConnection, type ConnectionProperties } from "./tls-inspector";

export interface CompiledListener {
  name: string;
  config: Listener;
  host: string;
  port: number;
  /** Takes over an accepted connection. */
  accept(socket: net.Socket): void;
  drain(): void;
}

/** Envoy's default listener_filters_timeout. */
const defaultListenerFiltersTimeoutMs = 15_000;

/** The tls_inspector listener filter, the only one the engine has; undefined when the listener has none. */
function compileListenerFilters(config: Listener, path: string): { timeoutMs: number; continueOnTimeout: boolean } | undefined {
  const filters = config.listener_filters ?? [];
  for (const [index, filter] of filters.entries()) {
    if (typeNameOf(filter.typed_config) !== typeNames.tlsInspector) throw new Error(`${path}: listener_filters[${index}]: ${filter.name} (${filter.typed_config?.["@type"]}) is not supported (only tls_inspector)`);
  }
  if (filters.length > 1) throw new Error(`${path}: listener_filters: tls_inspector is listed ${filters.length} times`);
  if (filters.length === 0) return undefined;
  return { timeoutMs: durationMs(config.listener_filters_timeout, defaultListenerFiltersTimeoutMs), continueOnTimeout: config.continue_on_listener_filters_timeout ?? false };
}

export function compileListener(config: Listener, runtime: () => Runtime): CompiledListener {
  const path = `listener ${config.name}`;
  const socket = config.address?.socket_address;
  if (!socket || socket.port_value === undefined) throw new Error(`${path}: address.socket_address with port_value is required`);
  if ((socket.protocol ?? "TCP") !== "TCP") throw new Error(`${path}: address protocol ${socket.protocol} is not supported`);
  const port = socket.port_value;
  const chainConfigs = config.filter_chains ?? [];
  if (chainConfigs.length === 0 && !config.default_filter_chain) throw new Error(`${path}: filter_chains or default_filter_chain is required`);
  const listener = { name: config.name, port };
  const chains = chainConfigs.map((chain, index) => compileFilterChain(chain, `${path}: filter_chains[${index}]`, listener, runtime));
  const defaultChain = config.default_filter_chain ? compileFilterChain(config.default_filter_chain, `${path}: default_filter_chain`, listener, runtime) : undefined;
  const selectChain = compileFilterChainMatch(chainConfigs.map((chain) => chain.filter_chain_match), `${path}: filter_chains`);
  const inspector = compileListenerFilters(config, path);

  const dispatch = (raw: net.Socket, connection: ConnectionProperties) => {
    const index = selectChain(connection);
    const chain: CompiledFilterChain | undefined = index !== undefined ? chains[index] : defaultChain;
    if (!chain) {
      runtime().stats.add("no_filter_chain_match_total", { listener: config.name });
      raw.destroy();
      return;
    }
    chain.accept(raw);
  };

  return {
    name: config.name,
    config,
    host: bindAddress(socket.address),
    port,
    accept(raw) {
      const stats = runtime().stats;
      stats.add("downstream_cx_total", { listener: config.name });
      raw.on("error", () => {});
      if (!inspector) return dispatch(raw, rawConnection);
      inspectTls(raw, inspector.timeoutMs, (outcome) => {
        switch (outcome.kind) {
          case "inspected":
            stats.add("tls_inspector_total", { listener: config.name, transport_protocol: outcome.properties.transportProtocol, sni: outcome.properties.serverName ? "found" : "not_found" });
            return dispatch(raw, outcome.properties);
          case "timeout":
            stats.add("downstream_pre_cx_timeout_total", { listener: config.name });
            if (inspector.continueOnTimeout) return dispatch(raw, rawConnection);
            return raw.destroy();
          case "client-hello-too-large":
            stats.add("tls_inspector_client_hello_too_large_total", { listener: config.name });
            return raw.destroy();
          case "closed":
            return raw.destroy();
        }
      });
    },
    drain() {
      for (const chain of chains) chain.drain();
      defaultChain?.drain();
    },
  };
}
