import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';

/**
 * The claims of the dashboard's access tokens: a compact HS256 JWT, enough for the demo (no
 * dependency on a JWT library): the user (`sub`), their tenant (`tid`), the token's id (`jti`,
 * what logout revokes) and its expiry (`exp`, seconds).
 */
export interface Claims {
  sub: string;
  tid: string;
  jti: string;
  exp: number;
}

const SECRET = 'reference-app-demo-secret';
const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
const sign = (data: string) => createHmac('sha256', SECRET).update(data).digest('base64url');

/**
 * A signed access token for a user of a tenant, valid `ttlSeconds` from `now` (the e2e suites pass
 * a past `now` for an expired one).
 */
export function issueToken(sub: string, tid: string, ttlSeconds = 900, now = Date.now()): string {
  const data = `${encode({ alg: 'HS256', typ: 'JWT' })}.${encode({ sub, tid, jti: randomUUID(), exp: Math.floor(now / 1000) + ttlSeconds })}`;
  return `${data}.${sign(data)}`;
}

/** The claims of a well-formed, correctly signed, unexpired token; undefined otherwise. */
export function verifyToken(token: string, now = Date.now()): Claims | undefined {
  const [header, payload, signature] = token.split('.');
  if (header === undefined || payload === undefined || signature === undefined) {
    return undefined;
  }
  const expected = Buffer.from(sign(`${header}.${payload}`));
  const given = Buffer.from(signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) {
    return undefined;
  }
  try {
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Claims;
    return typeof claims.exp === 'number' && claims.exp * 1000 > now ? claims : undefined;
  } catch {
    return undefined;
  }
}
