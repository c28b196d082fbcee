/** A mesh CA: its certificate and private key, PEM. */
export interface CertificateAuthority {
  certPem: string;
  keyPem: string;
}
