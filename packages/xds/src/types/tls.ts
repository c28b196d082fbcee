import type { BoolValue, Duration, StringMatcher, TypedExtensionConfig } from "./core";

export interface DataSource {
  filename?: string;
  /** base64 in plain objects, as protobufjs writes bytes. */
  inline_bytes?: string;
  inline_string?: string;
  environment_variable?: string;
}

export interface TlsCertificate {
  certificate_chain?: DataSource;
  private_key?: DataSource;
}

export interface SubjectAltNameMatcher {
  san_type: "EMAIL" | "DNS" | "URI" | "IP_ADDRESS" | "OTHER_NAME";
  matcher: StringMatcher;
}

export interface CertificateValidationContext {
  trusted_ca?: DataSource;
  match_typed_subject_alt_names?: SubjectAltNameMatcher[];
  /** Deprecated in Envoy for match_typed_subject_alt_names, still what Kuma sets for external services. */
  match_subject_alt_names?: StringMatcher[];
  custom_validator_config?: TypedExtensionConfig;
}

export interface SdsSecretConfig {
  name: string;
  sds_config?: { ads?: Record<string, never>; resource_api_version?: "AUTO" | "V2" | "V3" };
}

export interface TlsParameters {
  tls_minimum_protocol_version?: "TLS_AUTO" | "TLSv1_0" | "TLSv1_1" | "TLSv1_2" | "TLSv1_3";
  tls_maximum_protocol_version?: "TLS_AUTO" | "TLSv1_0" | "TLSv1_1" | "TLSv1_2" | "TLSv1_3";
  cipher_suites?: string[];
}

export interface CommonTlsContext {
  tls_params?: TlsParameters;
  tls_certificates?: TlsCertificate[];
  tls_certificate_sds_secret_configs?: SdsSecretConfig[];
  validation_context?: CertificateValidationContext;
  validation_context_sds_secret_config?: SdsSecretConfig;
  combined_validation_context?: { default_validation_context: CertificateValidationContext; validation_context_sds_secret_config: SdsSecretConfig };
  alpn_protocols?: string[];
}

export interface UpstreamTlsContext {
  common_tls_context?: CommonTlsContext;
  sni?: string;
  allow_renegotiation?: boolean;
}

export interface DownstreamTlsContext {
  common_tls_context?: CommonTlsContext;
  require_client_certificate?: BoolValue;
  session_timeout?: Duration;
}

export interface Secret {
  name: string;
  tls_certificate?: TlsCertificate;
  validation_context?: CertificateValidationContext;
}
