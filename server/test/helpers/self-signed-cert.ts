import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The `openssl` command line tool, when installed. */
export const OPENSSL = ['/usr/bin/openssl', '/usr/local/bin/openssl'].find((p) => existsSync(p));

/** A certificate and its key as PEM files, and the certificate's text (to trust it in a client). */
export interface SelfSignedCert {
  certFile: string;
  keyFile: string;
  certPem: string;
}

/**
 * Writes a one-day self-signed certificate for `127.0.0.1` (in the subjectAltName, which is what
 * clients check) into `dir`, with the `openssl` CLI.
 */
export function selfSignedCert(dir: string): SelfSignedCert {
  if (!OPENSSL) throw new Error('openssl is not installed');
  const certFile = join(dir, 'cert.pem');
  const keyFile = join(dir, 'key.pem');
  execFileSync(OPENSSL, ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1',
    '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', keyFile, '-out', certFile], { stdio: 'pipe' });
  return { certFile, keyFile, certPem: readFileSync(certFile, 'utf8') };
}
