import { describe, expect, it } from 'vitest';
import { AppError } from '../src/errors.ts';
import { IdentityService } from '../src/identity/identity-service.ts';
import { TokenSigner } from '../src/identity/token-signer.ts';

const SECRET = 'a-test-secret-that-is-long-enough!!';

describe('TokenSigner', () => {
  it('Should verify its own tokens and refuse tampered ones, other kinds and other secrets', () => {
    const signer = new TokenSigner(SECRET);
    const token = signer.sign('vt1', { v: 'vis_x' });
    expect(signer.verify('vt1', token)).toEqual({ v: 'vis_x' });
    expect(signer.verify('ut1', token)).toBeUndefined();
    expect(new TokenSigner(`${SECRET}?`).verify('vt1', token)).toBeUndefined();
    const [kind, , sig] = token.split('.');
    const swapped = `${kind}.${Buffer.from('{"v":"vis_y"}').toString('base64url')}.${sig}`;
    expect(signer.verify('vt1', swapped)).toBeUndefined();
    for (const junk of [undefined, 42, '', 'a.b', 'a.b.c.d', `${token}x`, 'x'.repeat(5000)]) expect(signer.verify('vt1', junk)).toBeUndefined();
  });
});

describe('IdentityService', () => {
  it('Should keep a visitor by token and give anything else a new visitor', async () => {
    const ids = new IdentityService({ secret: SECRET });
    const first = await ids.resolve({});
    expect(first.user).toEqual({ id: expect.stringMatching(/^vis_/), kind: 'visitor' });
    expect(first.ownerKey).toBe(`visitor:${first.user.id}`);
    expect((await ids.resolve({ visitorToken: first.visitorToken })).user.id).toBe(first.user.id);
    expect((await ids.resolve({ visitorToken: 'forged' })).user.id).not.toBe(first.user.id);
    expect((await new IdentityService({ secret: `${SECRET}2` }).resolve({ visitorToken: first.visitorToken })).user.id).not.toBe(first.user.id);
  });

  it('Should give a new visitor once a visitor token is older than its lifetime, and renew it on each hello', async () => {
    const day = 24 * 60 * 60 * 1000;
    let now = 1_700_000_000_000;
    const ids = new IdentityService({ secret: SECRET, now: () => now, visitorTokenTtlMs: 10 * day });
    const first = await ids.resolve({});
    now += 9 * day;
    const again = await ids.resolve({ visitorToken: first.visitorToken });
    expect(again.user.id).toBe(first.user.id);
    now += 9 * day; // 18 days after the first token, 9 after the renewed one
    expect((await ids.resolve({ visitorToken: first.visitorToken })).user.id).not.toBe(first.user.id);
    expect((await ids.resolve({ visitorToken: again.visitorToken })).user.id).toBe(first.user.id);
  });

  it('Should refuse a user token while no site is configured', async () => {
    const ids = new IdentityService({ secret: SECRET });
    await expect(ids.resolve({ userToken: 'x.y.z' })).rejects.toThrow(AppError);
  });

  it('Should issue upload tokens that expire', async () => {
    let now = 1_000_000;
    const ids = new IdentityService({ secret: SECRET, now: () => now, uploadTokenTtlMs: 1000 });
    const who = await ids.resolve({});
    const token = ids.uploadToken(who);
    expect(ids.verifyUploadToken(token)).toBe(who.ownerKey);
    expect(ids.verifyUploadToken(who.visitorToken)).toBeUndefined();
    now += 1001;
    expect(ids.verifyUploadToken(token)).toBeUndefined();
  });
});
