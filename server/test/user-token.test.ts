import { PROTOCOL_VERSION } from '@agent-chat/shared';
import { SignJWT, UnsecuredJWT, generateKeyPair } from 'jose';
import { describe, expect, it } from 'vitest';
import { BLOG, SHOP, mintUserToken, sitesEnv, twoSites, writeSitesFile, SITE_SECRETS } from './helpers/sites.ts';
import { tempDataDir, type TestServer } from './helpers/test-server.ts';
import { useTestScope } from './helpers/test-scope.ts';
import { TestClient } from './helpers/ws-client.ts';

const nowS = () => Math.floor(Date.now() / 1000);
const key = (secret: string) => new TextEncoder().encode(secret);

describe('userToken (a JWT from the site backend)', () => {
  const scope = useTestScope();
  const boot = async (env?: (dir: string) => Record<string, string>) => {
    const d = tempDataDir();
    return scope.boot({ dataDir: d, env: env ? env(d) : sitesEnv(d) });
  };

  /** Says hello on the shop's page with `userToken`; the reply and how the socket ended up. */
  async function helloAs(s: TestServer, userToken: string, site: { publicKey: string; origin: string } = SHOP) {
    const c = await TestClient.connect(`${s.wsUrl}?key=${site.publicKey}`, { origin: site.origin });
    const reply = await c.request({ type: 'hello', protocol: PROTOCOL_VERSION, userToken });
    return { c, reply };
  }

  async function expectRefused(s: TestServer, userToken: string): Promise<void> {
    const { c, reply } = await helloAs(s, userToken);
    expect(reply).toMatchObject({ type: 'error', code: 'unauthorized', retryable: false });
    expect(JSON.stringify(reply)).not.toMatch(/SHOP_USER_SECRET|jose|JWS|JWT[A-Z]/);
    expect((await c.closed).code).toBe(1008);
  }

  it('Should make the same sub the same user on every device, with the name from the token', async () => {
    const s = await boot();
    const token = await mintUserToken(SHOP.secret, 'user-42', { name: 'Ada' });
    const phone = await helloAs(s, token);
    expect(phone.reply).toMatchObject({ type: 'ready', user: { id: 'user-42', kind: 'user', name: 'Ada' } });
    const opened = (await phone.c.request({ type: 'thread.create', workflow: 'support' })) as { thread: { id: string } };
    expect((await s.server.storage.threads.get(opened.thread.id))?.owner).toBe('site:shop:user:user-42');
    // Another device: a new token for the same sub, no visitor token.
    const laptop = await helloAs(s, await mintUserToken(SHOP.secret, 'user-42'));
    expect(await laptop.c.request({ type: 'thread.list' })).toMatchObject({ threads: [{ id: opened.thread.id }] });
    expect((await laptop.c.request({ type: 'thread.open', threadId: opened.thread.id })).type).toBe('thread.opened');
    // Someone else sees nothing.
    const other = await helloAs(s, await mintUserToken(SHOP.secret, 'user-43'));
    expect(await other.c.request({ type: 'thread.list' })).toMatchObject({ threads: [] });
    for (const c of [phone.c, laptop.c, other.c]) c.ws.terminate();
  });

  it('Should accept a token expired by less than 60 s (clock skew) and refuse one expired by more', async () => {
    const s = await boot();
    const within = await helloAs(s, await mintUserToken(SHOP.secret, 'u1', { nowS: nowS() - 630, ttlS: 600 })); // expired 30 s ago
    expect(within.reply.type).toBe('ready');
    within.c.ws.terminate();
    await expectRefused(s, await mintUserToken(SHOP.secret, 'u1', { nowS: nowS() - 700, ttlS: 600 })); // expired 100 s ago
  });

  it('Should refuse a token signed with another secret, or by another site', async () => {
    const s = await boot();
    await expectRefused(s, await mintUserToken('not-the-shop-secret-0123456789abcdef', 'u1'));
    await expectRefused(s, await mintUserToken(BLOG.secret, 'u1'));
  });

  it('Should refuse alg none, HS512 and RS256 tokens', async () => {
    const s = await boot();
    const claims = { sub: 'u1', exp: nowS() + 600 };
    await expectRefused(s, new UnsecuredJWT(claims).encode());
    await expectRefused(s, await new SignJWT(claims).setProtectedHeader({ alg: 'HS512' }).sign(key(SHOP.secret)));
    const { privateKey } = await generateKeyPair('RS256');
    await expectRefused(s, await new SignJWT(claims).setProtectedHeader({ alg: 'RS256' }).sign(privateKey));
  });

  it('Should refuse malformed tokens and tokens without exp or sub', async () => {
    const s = await boot();
    for (const junk of ['not-a-jwt', 'a.b.c', '', `${await mintUserToken(SHOP.secret, 'u1')}x`]) await expectRefused(s, junk);
    await expectRefused(s, await new SignJWT({ sub: 'u1' }).setProtectedHeader({ alg: 'HS256' }).sign(key(SHOP.secret)));
    await expectRefused(s, await new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setExpirationTime('10m').sign(key(SHOP.secret)));
  });

  it('Should refuse every user token on a site that names no secret', async () => {
    const s = await boot((d) => {
      const sites = twoSites() as { sites: Array<Record<string, unknown>> };
      delete sites.sites[0]!.userTokenSecretEnv;
      return { SITES_FILE: writeSitesFile(d, sites), ...SITE_SECRETS };
    });
    await expectRefused(s, await mintUserToken(SHOP.secret, 'u1'));
  });

  it('Should refuse a user token on an open server', async () => {
    const s = await scope.boot();
    const c = await TestClient.connect(s.wsUrl);
    expect(await c.request({ type: 'hello', protocol: PROTOCOL_VERSION, userToken: await mintUserToken(SHOP.secret, 'u1') })).toMatchObject({
      code: 'unauthorized',
    });
    expect((await c.closed).code).toBe(1008);
  });

  it('Should handle frames sent right behind the hello once the token is verified, in order', async () => {
    const s = await boot();
    const c = await TestClient.connect(`${s.wsUrl}?key=${SHOP.publicKey}`, { origin: SHOP.origin });
    c.send({ type: 'hello', protocol: PROTOCOL_VERSION, userToken: await mintUserToken(SHOP.secret, 'u9'), id: 'h' });
    c.send({ type: 'thread.create', workflow: 'support', id: 't' });
    c.send({ type: 'ping', id: 'p' });
    await c.waitFor((m) => m.replyTo === 'p');
    expect(c.received.map((m) => `${m.type}:${String(m.replyTo)}`)).toEqual(['ready:h', 'thread.opened:t', 'pong:p']);
    c.ws.terminate();
  });
});
