export { startGlobalKds, type GlobalKds, type GlobalKdsOptions } from "./global-kds";
export { startZoneKds, type ZoneKds, type ZoneKdsOptions } from "./zone-kds";
export { DISPLAY_NAME_LABEL, globalToZoneTypes, ORIGIN_LABEL, ZONE_LABEL, zoneToGlobalTypes } from "./sync-types";
export { zoneScopedName } from "./zone-scoped-name";
