import type { ServiceInfo } from "../catalog";
import type { AvailableService } from "./input";

const tagsKey = (tags: Record<string, string>) =>
  Object.keys(tags)
    .sort()
    .map((key) => `${key}=${tags[key]}`)
    .join("&");

/**
 * Kuma's `availableServices` for one mesh: one entry per distinct tag set of the mesh's ready inbounds, with the number
 * of inbounds that have it, sorted by tags.
 */
export function meshAvailableServices(mesh: string, services: ReadonlyMap<string, ServiceInfo>): AvailableService[] {
  const byTags = new Map<string, AvailableService>();
  for (const endpoint of [...services.values()].flatMap((service) => service.endpoints)) {
    const key = tagsKey(endpoint.tags);
    const seen = byTags.get(key);
    if (seen) seen.instances++;
    else byTags.set(key, { tags: Object.fromEntries(Object.keys(endpoint.tags).sort().map((tag) => [tag, endpoint.tags[tag] as string])), instances: 1, mesh });
  }
  return [...byTags].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, available]) => available);
}
