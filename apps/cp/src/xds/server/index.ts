export { startXdsComponent, XDS_LISTEN_HOST, type XdsComponent, type XdsComponentOptions } from "./xds-component";
export { loadMeshState, type MeshState } from "./mesh-state";
export { EnvoyLikeProxy, type EnvoyLikeProxyOptions } from "./testing/envoy-like-proxy";
export { MeshView, generateProxyResources } from "../generate/index";
