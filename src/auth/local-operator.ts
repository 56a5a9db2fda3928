// The local operator: the command line on the gateway's own machine, acting as an admin with the
// token the gateway leaves next to its embedded database (src/cli/local-gateway.ts). The token
// is accepted only on a direct loopback connection (from 127.0.0.0/8 or ::1, with no proxy
// header: a reverse proxy on the same host would make every client look local), and compared in
// constant time. The operator is not rate-limited like the public: after a flood from 127.0.0.1
// it must still be able to revoke the key behind it.
import { createHash, timingSafeEqual } from 'node:crypto';
import { isIPv4 } from 'node:net';
import { bearerSecret, type Caller } from './keys.js';

export const LOCAL_OPERATOR: Caller = { apiKeyId: null, name: 'local command line', scopes: ['ADMIN'], owner: 0 };

/** How the local command line proves itself: `Authorization: Bearer local:<token>`. */
export const localBearer = (token: string) => `local:${token}`;

/** Headers a proxy adds: with any of them the connection is not the operator's own. */
const PROXY_HEADERS = ['forwarded', 'x-forwarded-for', 'x-real-ip', 'via'];

export function isLoopback(address: string | undefined): boolean {
  if (!address) return false;
  if (address === '::1') return true;
  const v4 = address.startsWith('::ffff:') ? address.slice('::ffff:'.length) : address;
  return isIPv4(v4) && v4.startsWith('127.');
}

/**
 * `operator` for the local command line, `refused` for its token sent from anywhere else (or
 * through a proxy), `none` when the request does not carry the token at all.
 */
export type LocalOperatorCheck = (request: Request, socketAddress: string | undefined) => 'operator' | 'refused' | 'none';

const digest = (text: string) => createHash('sha256').update(text).digest();

export function localOperatorCheck(token: string | null): LocalOperatorCheck {
  if (!token) return () => 'none';
  const expected = digest(localBearer(token));
  return (request, socketAddress) => {
    const secret = bearerSecret(request);
    // Equal-length digests: the comparison takes the same time however much of the token matches.
    if (!secret || !timingSafeEqual(digest(secret), expected)) return 'none';
    const direct = PROXY_HEADERS.every((header) => !request.headers.has(header));
    return direct && isLoopback(socketAddress) ? 'operator' : 'refused';
  };
}
