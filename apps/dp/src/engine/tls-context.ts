import tls from "node:tls";
import type { CertificateValidationContext, CommonTlsContext, DataSource, Secret, SubjectAltNameMatcher, TlsParameters } from "@zonemesh/xds";
import { compileStringMatcher } from "./string-matcher";

/** The SDS secrets a TLS context names, resolved when a connection is made (secrets rotate independently). */
export interface TlsSecretRefs {
  identity: string;
  validation: string;
  /** The peer must carry a SAN matching one of these (none: any certificate signed by the CA). */
  sanMatchers: SanMatcher[];
}

export type SanMatcher = (sans: PeerSans) => boolean;

export interface PeerSans {
  uri: string[];
  dns: string[];
}

export function dataSourceText(source: DataSource | undefined, what: string): string {
  if (source?.inline_bytes !== undefined) return Buffer.from(source.inline_bytes, "base64").toString("utf8");
  if (source?.inline_string !== undefined) return source.inline_string;
  throw new Error(`${what} has no inline data`);
}

function compileSanMatcher(matcher: SubjectAltNameMatcher): SanMatcher {
  const test = compileStringMatcher(matcher.matcher);
  if (matcher.san_type === "URI") return (sans) => sans.uri.some(test);
  if (matcher.san_type === "DNS") return (sans) => sans.dns.some(test);
  throw new Error(`san_type ${matcher.san_type} is not supported`);
}

export function compileTlsSecretRefs(context: CommonTlsContext | undefined, path: string): TlsSecretRefs {
  const identity = context?.tls_certificate_sds_secret_configs;
  if (!identity || identity.length !== 1) throw new Error(`${path}.common_tls_context: exactly one tls_certificate_sds_secret_configs is supported`);
  const combined = context?.combined_validation_context;
  const validation = combined?.validation_context_sds_secret_config ?? context?.validation_context_sds_secret_config;
  if (!validation) throw new Error(`${path}.common_tls_context: a validation context from SDS is required (peers are always verified)`);
  return { identity: (identity[0] as { name: string }).name, validation: validation.name, sanMatchers: compileSanMatchers(combined?.default_validation_context) };
}

/** A validation context's SAN matchers: the typed ones by SAN type, the untyped ones against URI and DNS SANs. */
export function compileSanMatchers(validation: CertificateValidationContext | undefined): SanMatcher[] {
  return [
    ...(validation?.match_typed_subject_alt_names ?? []).map(compileSanMatcher),
    ...(validation?.match_subject_alt_names ?? []).map((matcher) => {
      const test = compileStringMatcher(matcher);
      return (sans: PeerSans) => [...sans.uri, ...sans.dns].some(test);
    }),
  ];
}

const nodeTlsVersions: Record<string, tls.SecureVersion | undefined> = { TLS_AUTO: undefined, TLSv1_0: "TLSv1", TLSv1_1: "TLSv1.1", TLSv1_2: "TLSv1.2", TLSv1_3: "TLSv1.3" };
const versionOrder: (tls.SecureVersion | undefined)[] = ["TLSv1", "TLSv1.1", "TLSv1.2", "TLSv1.3"];
/** TLS 1.3 suites are not chosen by cipher_suites (as in Envoy): Node's stay beside the listed TLS 1.2 ones. */
const tls13Suites = tls.DEFAULT_CIPHERS.split(":").filter((suite) => suite.startsWith("TLS_"));

/** Envoy's tls_params as Node's TLS options: the version range and the TLS 1.2 cipher suites offered. */
export function compileTlsParams(params: TlsParameters | undefined, path: string): Pick<tls.TlsOptions, "minVersion" | "maxVersion" | "ciphers"> {
  if (!params) return {};
  const version = (field: "tls_minimum_protocol_version" | "tls_maximum_protocol_version") => {
    const value = params[field];
    if (value === undefined) return undefined;
    if (!(value in nodeTlsVersions)) throw new Error(`${path}.tls_params.${field}: ${JSON.stringify(value)} is not a TLS version (TLS_AUTO, TLSv1_0 to TLSv1_3)`);
    return nodeTlsVersions[value];
  };
  const [minVersion, maxVersion] = [version("tls_minimum_protocol_version"), version("tls_maximum_protocol_version")];
  if (minVersion && maxVersion && versionOrder.indexOf(minVersion) > versionOrder.indexOf(maxVersion)) {
    throw new Error(`${path}.tls_params: tls_minimum_protocol_version ${minVersion} is newer than tls_maximum_protocol_version ${maxVersion}`);
  }
  const known = new Set(tls.getCiphers());
  params.cipher_suites?.forEach((suite, index) => {
    if (!known.has(suite.toLowerCase())) throw new Error(`${path}.tls_params.cipher_suites[${index}]: ${JSON.stringify(suite)} is not a cipher suite this proxy offers`);
  });
  return {
    ...(minVersion ? { minVersion } : {}),
    ...(maxVersion ? { maxVersion } : {}),
    ...(params.cipher_suites?.length ? { ciphers: [...params.cipher_suites, ...tls13Suites].join(":") } : {}),
  };
}

/** Parses Node's `subjectaltname` string ("URI:spiffe://default/web, DNS:x"). */
export function peerSans(certificate: tls.PeerCertificate | undefined): PeerSans {
  const sans: PeerSans = { uri: [], dns: [] };
  for (const entry of (certificate?.subjectaltname ?? "").split(", ")) {
    if (entry.startsWith("URI:")) sans.uri.push(entry.slice(4));
    else if (entry.startsWith("DNS:")) sans.dns.push(entry.slice(4));
  }
  return sans;
}

export function sansAllowed(refs: { sanMatchers: readonly SanMatcher[] }, sans: PeerSans): boolean {
  return refs.sanMatchers.length === 0 || refs.sanMatchers.some((matches) => matches(sans));
}

/** PEM material of a proxy identity and its mesh CA, with a secure context made from it. */
export interface TlsMaterial {
  cert: string;
  key: string;
  ca: string;
  context: tls.SecureContext;
}

const materials = new WeakMap<Secret, WeakMap<Secret, TlsMaterial>>();

/** The material of the current secrets, cached per pair of secret objects (a rotation brings new objects). */
export function tlsMaterialFor(refs: TlsSecretRefs, secrets: ReadonlyMap<string, Secret>): TlsMaterial {
  const identity = secrets.get(refs.identity);
  const validation = secrets.get(refs.validation);
  if (!identity?.tls_certificate) throw new Error(`secret ${refs.identity} (identity certificate) has not been received`);
  if (!validation?.validation_context) throw new Error(`secret ${refs.validation} (validation context) has not been received`);
  let byValidation = materials.get(identity);
  if (!byValidation) materials.set(identity, (byValidation = new WeakMap()));
  let material = byValidation.get(validation);
  if (!material) {
    const pems = {
      cert: dataSourceText(identity.tls_certificate.certificate_chain, `secret ${refs.identity} certificate_chain`),
      key: dataSourceText(identity.tls_certificate.private_key, `secret ${refs.identity} private_key`),
      ca: dataSourceText(validation.validation_context.trusted_ca, `secret ${refs.validation} trusted_ca`),
    };
    material = { ...pems, context: tls.createSecureContext(pems) };
    byValidation.set(validation, material);
  }
  return material;
}
