import { z } from "zod";
import type { ResourceStore } from "@zonemesh/store";
import { allocateVips, defaultVipCidr } from "../generate/index";

/**
 * Service VIPs persist, like Kuma's, in a global-scoped `Config` resource named `kuma-<mesh>-dns-vips` whose `config`
 * is JSON (here `{service: vip}`), so a service keeps its VIP across restarts. The type is internal: not in the API.
 */
export const VIP_CONFIG_TYPE = "Config";
const vipConfigName = (mesh: string) => `kuma-${mesh}-dns-vips`;
const vipConfigPattern = /^kuma-(.+)-dns-vips$/;

const configSpec = z.object({ config: z.string() });
const vipMap = z.record(z.string(), z.string());

/** The mesh whose VIPs a `Config` resource holds, if it is one of ours. */
export function meshOfVipConfig(name: string): string | undefined {
  return vipConfigPattern.exec(name)?.[1];
}

export class MeshVips {
  readonly #known = new Map<string, Map<string, string>>();

  constructor(
    private readonly store: ResourceStore,
    private readonly cidr: string = defaultVipCidr,
  ) {}

  /** Another CP instance (or a restore) changed them: read them again next time. */
  forget(mesh: string): void {
    this.#known.delete(mesh);
  }

  /** VIPs of the mesh's current services: existing ones kept, new ones allocated and stored. */
  async forServices(mesh: string, services: Iterable<string>): Promise<Map<string, string>> {
    const existing = this.#known.get(mesh) ?? (await this.#read(mesh));
    const vips = allocateVips(services, this.cidr, existing);
    if (!sameEntries(existing, vips)) {
      await this.store.upsert({ type: VIP_CONFIG_TYPE, mesh: "", name: vipConfigName(mesh), spec: { config: JSON.stringify(Object.fromEntries(vips)) } });
    }
    this.#known.set(mesh, vips);
    return vips;
  }

  async #read(mesh: string): Promise<Map<string, string>> {
    const stored = await this.store.get({ type: VIP_CONFIG_TYPE, mesh: "", name: vipConfigName(mesh) });
    const spec = configSpec.safeParse(stored?.spec);
    if (!spec.success) return new Map();
    let parsed: unknown;
    try {
      parsed = JSON.parse(spec.data.config);
    } catch {
      return new Map();
    }
    const vips = vipMap.safeParse(parsed);
    return vips.success ? new Map(Object.entries(vips.data)) : new Map();
  }
}

function sameEntries(a: ReadonlyMap<string, string>, b: ReadonlyMap<string, string>): boolean {
  return a.size === b.size && [...a].every(([key, value]) => b.get(key) === value);
}
