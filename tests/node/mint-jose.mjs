// Tokens made by jose (https://github.com/panva/jose), a second, independent JWT implementation, for
// SyncDesk's tests: each is printed with what SyncDesk must do with it.
// Usage: node mint-jose.mjs --secret SECRET [--issuer ISS] [--audience AUD]
// Prints a JSON array of {"name", "token", "accept"}.
import * as jose from 'jose';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
    options: { secret: { type: 'string' }, issuer: { type: 'string' }, audience: { type: 'string' } },
});
const key = new TextEncoder().encode(values.secret);
const now = Math.floor(Date.now() / 1000);

async function sign(claims, { alg = 'HS256', header = {}, secret = key } = {}) {
    let jwt = new jose.SignJWT(claims).setProtectedHeader({ alg, ...header }).setIssuedAt(now);
    if (values.issuer) jwt = jwt.setIssuer(values.issuer);
    if (values.audience) jwt = jwt.setAudience(values.audience);
    return jwt.sign(secret);
}

function tamper(token, change) {
    const [header, payload, signature] = token.split('.');
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
    change(claims);
    return [header, Buffer.from(JSON.stringify(claims)).toString('base64url'), signature].join('.');
}

const viewer = await sign({ sub: 'jose-viewer', role: 'viewer', exp: now + 600 });
const admin = await sign({ sub: 'jose-admin', role: 'admin', exp: now + 600 }, { header: { typ: 'JWT' } });
const tokens = [
    { name: 'viewer', token: viewer, accept: true },
    { name: 'admin with typ', token: admin, accept: true },
    { name: 'not before now', token: await sign({ sub: 'a', role: 'agent', exp: now + 600, nbf: now - 5 }), accept: true },
    { name: 'role raised in the payload', token: tamper(viewer, (c) => { c.role = 'admin'; }), accept: false },
    { name: 'expiry extended in the payload', token: tamper(viewer, (c) => { c.exp = now + 999999; }), accept: false },
    { name: 'signature of another token', token: viewer.split('.').slice(0, 2).join('.') + '.' + admin.split('.')[2], accept: false },
    { name: 'expired', token: await sign({ sub: 'a', role: 'viewer', exp: now - 3600 }), accept: false },
    { name: 'not yet valid', token: await sign({ sub: 'a', role: 'viewer', exp: now + 7200, nbf: now + 3600 }), accept: false },
    { name: 'HS512', token: await sign({ sub: 'a', role: 'viewer', exp: now + 600 }, { alg: 'HS512' }), accept: false },
    { name: 'HS384', token: await sign({ sub: 'a', role: 'viewer', exp: now + 600 }, { alg: 'HS384' }), accept: false },
    { name: 'other secret', token: await sign({ sub: 'a', role: 'viewer', exp: now + 600 },
                                              { secret: new TextEncoder().encode('another-secret-of-at-least-32-bytes!!') }), accept: false },
    { name: 'unsecured (alg none)', token: new jose.UnsecuredJWT({ sub: 'a', role: 'admin', exp: now + 600 }).encode(), accept: false },
    { name: 'no expiry', token: await sign({ sub: 'a', role: 'viewer' }), accept: false },
    { name: 'unknown role', token: await sign({ sub: 'a', role: 'root', exp: now + 600 }), accept: false },
];
const { publicKey, privateKey } = await jose.generateKeyPair('RS256');
void publicKey;
tokens.push({ name: 'RS256', token: await sign({ sub: 'a', role: 'viewer', exp: now + 600 }, { alg: 'RS256', secret: privateKey }),
              accept: false });
process.stdout.write(JSON.stringify(tokens));
