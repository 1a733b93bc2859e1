// A certificate for the fake service over HTTPS, made at run time (never stored): self-signed for
// 127.0.0.1 and localhost, so a client trusts it only when given it explicitly as its CA.
import { generate } from 'selfsigned'

export interface TestCertificate {
  /** PEM private key. */
  key: string
  /** PEM certificate: the server's and, being self-signed, the CA a client is told to trust. */
  cert: string
}

export async function makeTestCertificate(): Promise<TestCertificate> {
  const made = await generate([{ name: 'commonName', value: 'fake-mimo.test' }], {
    keyType: 'ec',
    curve: 'P-256',
    notAfterDate: new Date(Date.now() + 24 * 3600 * 1000),
    extensions: [
      { name: 'basicConstraints', cA: true },
      { name: 'keyUsage', digitalSignature: true, keyCertSign: true },
      { name: 'extKeyUsage', serverAuth: true },
      { name: 'subjectAltName', altNames: [{ type: 7, ip: '127.0.0.1' }, { type: 2, value: 'localhost' }] }
    ]
  })
  return { key: made.private, cert: made.cert }
}
