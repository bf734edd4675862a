import { afterEach, describe, expect, it } from 'vitest';
import { AppError } from '../../src/errors.ts';
import type { Logger } from '../../src/logger.ts';
import { DEFAULT_QUOTAS, type QuotaLimits } from '../../src/quota/quota-limits.ts';
import { QuotaService, untilMidnight } from '../../src/quota/quota-service.ts';
import { type SqliteStorage, createSqliteStorage } from '../../src/store/sqlite/sqlite-storage.ts';
import { removeDir, tempDataDir } from '../helpers/temp-dir.ts';

const ALICE = 'visitor:vis_alice';
const BOB = 'visitor:vis_bob';
const SHOP_ANN = 'site:shop:visitor:vis_ann';
const SHOP_BEN = 'site:shop:user:ben';
/** 2026-03-10 12:00:00 UTC: 12 hours before the day's counters start again. */
const NOON = Date.UTC(2026, 2, 10, 12);
const HOUR = 3_600_000;

/** Everything off, so each test turns on the one limit it is about. */
const OFF: QuotaLimits = {
  concurrentRunsPerIdentity: 0,
  runsPerMinutePerIdentity: 0,
  runsPerMinutePerIp: 0,
  threadsPerDayPerIdentity: 0,
  socketsPerIp: 0,
  hellosPerMinutePerIp: 0,
  dailyTokensPerIdentity: 0,
  dailyTokensPerSite: 0,
  uploadBytesPerIdentity: 0,
  budgetMessage: DEFAULT_QUOTAS.budgetMessage,
};

/** The AppError `fn` throws (fails the test when it does not throw one). */
async function refusal(fn: () => unknown): Promise<AppError> {
  try {
    await fn();
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error('was not refused');
}

describe('QuotaService', () => {
  const stores: SqliteStorage[] = [];
  const dirs: string[] = [];
  afterEach(async () => {
    for (const s of stores.splice(0)) await s.close();
    for (const d of dirs.splice(0)) removeDir(d);
  });

  function setup(limits: Partial<QuotaLimits>, options: { dir?: string; limitsFor?: (siteId: string | null) => QuotaLimits } = {}) {
    const dir = options.dir ?? tempDataDir();
    if (!options.dir) dirs.push(dir);
    const storage = createSqliteStorage(dir);
    stores.push(storage);
    const clock = { now: NOON };
    const warnings: string[] = [];
    const log: Logger = { info() {}, warn: (m) => warnings.push(m), error() {} };
    const quota = new QuotaService({
      storage,
      limitsFor: options.limitsFor ?? (() => ({ ...OFF, ...limits })),
      log,
      now: () => clock.now,
    });
    return { quota, storage, clock, warnings, dir };
  }

  it('Should refuse the run past runs per minute per identity until the oldest run leaves the window', async () => {
    const { quota, clock } = setup({ runsPerMinutePerIdentity: 3 });
    for (const at of [0, 10_000, 20_000]) {
      clock.now = NOON + at;
      (await quota.beginRun(ALICE, '10.0.0.1')).release();
    }
    clock.now = NOON + 30_000;
    const refused = await refusal(() => quota.beginRun(ALICE, '10.0.0.1'));
    expect(refused).toMatchObject({ code: 'rate_limited', retryable: true, retryAfterMs: 30_000 });
    // Another identity is not affected.
    (await quota.beginRun(BOB, '10.0.0.1')).release();
    clock.now = NOON + 59_999;
    expect((await refusal(() => quota.beginRun(ALICE))).retryAfterMs).toBe(1);
    clock.now = NOON + 60_000;
    (await quota.beginRun(ALICE)).release();
    // The window slides: the run at +10 s is still in it, so the next one waits for it.
    expect((await refusal(() => quota.beginRun(ALICE))).retryAfterMs).toBe(10_000);
  });

  it('Should refuse runs past runs per minute per IP across identities, and count other IPs apart', async () => {
    const { quota, clock } = setup({ runsPerMinutePerIp: 2 });
    (await quota.beginRun(ALICE, '10.0.0.1')).release();
    clock.now += 15_000;
    (await quota.beginRun(BOB, '10.0.0.1')).release();
    const refused = await refusal(() => quota.beginRun('visitor:vis_carol', '10.0.0.1'));
    expect(refused).toMatchObject({ code: 'rate_limited', retryable: true, retryAfterMs: 45_000 });
    (await quota.beginRun('visitor:vis_carol', '10.0.0.2')).release();
    clock.now += 45_000;
    (await quota.beginRun('visitor:vis_carol', '10.0.0.1')).release();
  });

  it('Should hold a concurrency slot per run until it is released, once', async () => {
    const { quota } = setup({ concurrentRunsPerIdentity: 2 });
    const first = await quota.beginRun(ALICE);
    const second = await quota.beginRun(ALICE);
    const refused = await refusal(() => quota.beginRun(ALICE));
    expect(refused).toMatchObject({ code: 'rate_limited', retryable: true });
    expect(refused.retryAfterMs).toBeGreaterThan(0);
    (await quota.beginRun(BOB)).release();
    first.release();
    first.release(); // a second release must not free another slot
    expect(quota.runsInFlight(ALICE)).toBe(1);
    const third = await quota.beginRun(ALICE);
    expect((await refusal(() => quota.beginRun(ALICE))).code).toBe('rate_limited');
    second.release();
    third.release();
    expect(quota.runsInFlight(ALICE)).toBe(0);
  });

  it('Should count nothing for a refused run', async () => {
    const { quota } = setup({ concurrentRunsPerIdentity: 1, runsPerMinutePerIdentity: 2 });
    const held = await quota.beginRun(ALICE);
    for (let i = 0; i < 5; i++) await refusal(() => quota.beginRun(ALICE));
    held.release();
    // Only the one admitted run is in the minute window, so one more fits.
    (await quota.beginRun(ALICE)).release();
    expect((await refusal(() => quota.beginRun(ALICE))).code).toBe('rate_limited');
  });

  it('Should refuse new threads past the daily limit until UTC midnight, also after reopening the database', async () => {
    const { quota, clock, dir } = setup({ threadsPerDayPerIdentity: 2 });
    await quota.newThread(ALICE);
    await quota.newThread(ALICE);
    const refused = await refusal(() => quota.newThread(ALICE));
    expect(refused).toMatchObject({ code: 'rate_limited', retryable: true, retryAfterMs: 12 * HOUR });
    await quota.newThread(BOB);
    expect((await quota.today(ALICE)).threads).toBe(2);

    const reopened = setup({ threadsPerDayPerIdentity: 2 }, { dir });
    reopened.clock.now = clock.now + 11 * HOUR;
    expect((await refusal(() => reopened.quota.newThread(ALICE))).retryAfterMs).toBe(HOUR);
    reopened.clock.now = clock.now + 12 * HOUR; // the next UTC day
    await reopened.quota.newThread(ALICE);
    expect((await reopened.quota.today(ALICE)).threads).toBe(1);
  });

  it('Should refuse new runs once the identity has spent its daily tokens, with the budget message, until midnight', async () => {
    const { quota, clock } = setup({ dailyTokensPerIdentity: 100, budgetMessage: 'Our assistant is resting until tomorrow.' });
    const run = await quota.beginRun(ALICE);
    await run.addUsage({ inputTokens: 60, outputTokens: 30 });
    run.release();
    await (await quota.beginRun(ALICE)).addUsage({ inputTokens: 5, outputTokens: 5 }); // a run in progress is not cut off
    expect((await quota.today(ALICE)).tokens).toBe(100);
    clock.now = NOON + 2 * HOUR;
    const refused = await refusal(() => quota.beginRun(ALICE));
    expect(refused).toMatchObject({
      code: 'rate_limited',
      retryable: true,
      message: 'Our assistant is resting until tomorrow.',
      retryAfterMs: 10 * HOUR,
    });
    (await quota.beginRun(BOB)).release();
    clock.now = Date.UTC(2026, 2, 11, 0, 0, 1);
    (await quota.beginRun(ALICE)).release();
  });

  it('Should refuse every identity of a site once the site spent its daily tokens, and keep other sites apart', async () => {
    const { quota } = setup({ dailyTokensPerSite: 150 });
    await quota.recordUsage(SHOP_ANN, { inputTokens: 100, outputTokens: 0 });
    await quota.recordUsage(SHOP_BEN, { inputTokens: 40, outputTokens: 20 });
    expect(await quota.today(SHOP_BEN)).toMatchObject({ tokens: 60, siteTokens: 160 });
    expect((await refusal(() => quota.beginRun(SHOP_ANN))).message).toBe(DEFAULT_QUOTAS.budgetMessage);
    expect((await refusal(() => quota.beginRun('site:shop:visitor:vis_new'))).code).toBe('rate_limited');
    // Open-mode owners count as their own site.
    (await quota.beginRun(ALICE)).release();
    expect((await quota.today(ALICE)).siteTokens).toBe(0);
  });

  it("Should apply a site's overrides to its identities only", async () => {
    const shop: QuotaLimits = { ...OFF, runsPerMinutePerIdentity: 1, dailyTokensPerIdentity: 10, budgetMessage: 'The shop assistant is closed for today.' };
    const { quota } = setup({}, { limitsFor: (siteId) => (siteId === 'shop' ? shop : { ...OFF, runsPerMinutePerIdentity: 5 }) });
    (await quota.beginRun(SHOP_ANN)).release();
    expect((await refusal(() => quota.beginRun(SHOP_ANN))).code).toBe('rate_limited');
    for (let i = 0; i < 5; i++) (await quota.beginRun(ALICE)).release();
    expect((await refusal(() => quota.beginRun(ALICE))).code).toBe('rate_limited');
    await quota.recordUsage(SHOP_BEN, { inputTokens: 8, outputTokens: 4 });
    expect((await refusal(() => quota.beginRun(SHOP_BEN))).message).toBe('The shop assistant is closed for today.');
  });

  it('Should limit open sockets and hellos per IP, freeing a socket place when it closes', async () => {
    const { quota, clock } = setup({ socketsPerIp: 2, hellosPerMinutePerIp: 3 });
    quota.openSocket('10.0.0.1');
    quota.openSocket('10.0.0.1');
    const refused = await refusal(() => quota.openSocket('10.0.0.1'));
    expect(refused).toMatchObject({ code: 'rate_limited', retryable: true });
    expect(refused.retryAfterMs).toBeGreaterThan(0);
    quota.openSocket('10.0.0.2');
    quota.closeSocket('10.0.0.1');
    quota.openSocket('10.0.0.1');
    expect((await refusal(() => quota.openSocket('10.0.0.1'))).code).toBe('rate_limited');

    for (let i = 0; i < 3; i++) quota.hello('10.0.0.1');
    clock.now += 20_000;
    expect(await refusal(() => quota.hello('10.0.0.1'))).toMatchObject({ code: 'rate_limited', retryAfterMs: 40_000 });
    quota.hello('10.0.0.2');
    clock.now += 40_000;
    quota.hello('10.0.0.1');
  });

  it('Should not limit what is set to 0', async () => {
    const { quota } = setup({});
    for (let i = 0; i < 200; i++) {
      await quota.beginRun(ALICE, '10.0.0.1');
      await quota.newThread(ALICE);
      quota.openSocket('10.0.0.1');
      quota.hello('10.0.0.1');
    }
    await quota.recordUsage(ALICE, { inputTokens: 10_000_000, outputTokens: 0 });
    (await quota.beginRun(ALICE)).release();
  });

  it('Should log each refusal with the limit, owner, IP and count, one line per client every few seconds', async () => {
    const { quota, clock, warnings } = setup({ concurrentRunsPerIdentity: 1 });
    await quota.beginRun(ALICE, '10.0.0.9');
    for (let i = 0; i < 4; i++) await refusal(() => quota.beginRun(ALICE, '10.0.0.9'));
    await refusal(() => quota.beginRun(ALICE, '10.0.0.9'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('concurrentRunsPerIdentity 1/1');
    expect(warnings[0]).toContain(ALICE);
    expect(warnings[0]).toContain('10.0.0.9');
    await quota.beginRun(BOB, '10.0.0.8');
    await refusal(() => quota.beginRun(BOB, '10.0.0.8'));
    expect(warnings).toHaveLength(2);
    clock.now += 10_000;
    await refusal(() => quota.beginRun(ALICE, '10.0.0.9'));
    expect(warnings).toHaveLength(3);
    expect(warnings[2]).toContain('+4 more');
  });

  it('Should forget daily counters older than 30 days', async () => {
    const { quota, clock, storage } = setup({});
    await quota.recordUsage(ALICE, { inputTokens: 10, outputTokens: 0 });
    clock.now += 31 * 24 * HOUR;
    await quota.recordUsage(BOB, { inputTokens: 10, outputTokens: 0 });
    expect((await storage.usage.on('identity', ALICE, '2026-03-10')).tokens).toBe(0);
    expect((await storage.usage.on('identity', BOB, '2026-04-10')).tokens).toBe(10);
  });

  it('Should count until midnight UTC', async () => {
    expect(untilMidnight(Date.UTC(2026, 0, 1, 23, 59, 59))).toBe(1000);
    expect(untilMidnight(Date.UTC(2026, 0, 1))).toBe(24 * HOUR);
  });
});
