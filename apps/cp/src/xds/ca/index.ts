export { createMeshCa, type BuiltinCaConf, type CertificateAuthority } from "./mesh-ca";
export { defaultProxyCertTtlMs, issueProxyCertificate, needsRotation, proxyIdentity, type ProxyCertificate, type ProxyIdentity } from "./proxy-certificate";
export { loadProvidedCa, ProvidedCaError, type ProvidedCaConf } from "./provided-ca";
