export { generateProxyResources } from "./generate";
export { MeshView, type MeshInput } from "./mesh-view";
export { allocateVips, defaultVipCidr } from "./vips";
export { httpVipPort } from "./outbounds";
export type { DataplaneResource, ExternalServiceInput, ExternalServiceResource, ZoneIngressResource, GenerateInput, GenerationWarning, ProxyCertificates, ProxyResources } from "./input";
export { generateIngressResources } from "./ingress/generate-ingress";
export type { AvailableService, IngressInput, IngressResources } from "./ingress/input";
