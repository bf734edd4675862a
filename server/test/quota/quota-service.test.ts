import { afterEach, describe, expect, it } from 'vitest';
import { AppError } from '../../src/errors.ts';
import type { Logger } from '../../src/logger.ts';
import { DEFAULT_QUOTAS, type QuotaLimits } from '../../src/quota/quota-limits.ts';
import { QuotaService, untilMidnight } from '../../src/quota/quota-service.ts';
import { type Store, createStore } from '../../src/store/store.ts';
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
  budgetMessage: DEFAULT_QUOTAS.budgetMessage,
};

/** The AppError `fn` throws (fails the test when it does not throw one). */
function refusal(fn: () => unknown): AppError {
  try {
    fn();
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error('was not refused');
}

describe('QuotaService', () => {
  const stores: Store[] = [];
  const dirs: string[] = [];
  afterEach(() => {
    for (const s of stores.splice(0)) s.close();
    for (const d of dirs.splice(0)) removeDir(d);
  });

  function setup(limits: Partial<QuotaLimits>, options: { dir?: string; limitsFor?: (siteId: string | null) => QuotaLimits } = {}) {
    const dir = options.dir ?? tempDataDir();
    if (!options.dir) dirs.push(dir);
    const store = createStore(dir);
    stores.push(store);
    const clock = { now: NOON };
    const warnings: string[] = [];
    const log: Logger = { info() {}, warn: (m) => warnings.push(m), error() {} };
    const quota = new QuotaService({
      store,
      limitsFor: options.limitsFor ?? (() => ({ ...OFF, ...limits })),
      log,
      now: () => clock.now,
    });
    return { quota, store, clock, warnings, dir };
  }

  it('Should refuse the run past runs per minute per identity until the oldest run leaves the window', () => {
    const { quota, clock } = setup({ runsPerMinutePerIdentity: 3 });
    for (const at of [0, 10_000, 20_000]) {
      clock.now = NOON + at;
      quota.beginRun(ALICE, '10.0.0.1').release();
    }
    clock.now = NOON + 30_000;
    const refused = refusal(() => quota.beginRun(ALICE, '10.0.0.1'));
    expect(refused).toMatchObject({ code: 'rate_limited', retryable: true, retryAfterMs: 30_000 });
    // Another identity is not affected.
    quota.beginRun(BOB, '10.0.0.1').release();
    clock.now = NOON + 59_999;
    expect(refusal(() => quota.beginRun(ALICE)).retryAfterMs).toBe(1);
    clock.now = NOON + 60_000;
    quota.beginRun(ALICE).release();
    // The window slides: the run at +10 s is still in it, so the next one waits for it.
    expect(refusal(() => quota.beginRun(ALICE)).retryAfterMs).toBe(10_000);
  });

  it('Should refuse runs past runs per minute per IP across identities, and count other IPs apart', () => {
    const { quota, clock } = setup({ runsPerMinutePerIp: 2 });
    quota.beginRun(ALICE, '10.0.0.1').release();
    clock.now += 15_000;
    quota.beginRun(BOB, '10.0.0.1').release();
    const refused = refusal(() => quota.beginRun('visitor:vis_carol', '10.0.0.1'));
    expect(refused).toMatchObject({ code: 'rate_limited', retryable: true, retryAfterMs: 45_000 });
    quota.beginRun('visitor:vis_carol', '10.0.0.2').release();
    clock.now += 45_000;
    quota.beginRun('visitor:vis_carol', '10.0.0.1').release();
  });

  it('Should hold a concurrency slot per run until it is released, once', () => {
    const { quota } = setup({ concurrentRunsPerIdentity: 2 });
    const first = quota.beginRun(ALICE);
    const second = quota.beginRun(ALICE);
    const refused = refusal(() => quota.beginRun(ALICE));
    expect(refused).toMatchObject({ code: 'rate_limited', retryable: true });
    expect(refused.retryAfterMs).toBeGreaterThan(0);
    quota.beginRun(BOB).release();
    first.release();
    first.release(); // a second release must not free another slot
    expect(quota.runsInFlight(ALICE)).toBe(1);
    const third = quota.beginRun(ALICE);
    expect(refusal(() => quota.beginRun(ALICE)).code).toBe('rate_limited');
    second.release();
    third.release();
    expect(quota.runsInFlight(ALICE)).toBe(0);
  });

  it('Should count nothing for a refused run', () => {
    const { quota } = setup({ concurrentRunsPerIdentity: 1, runsPerMinutePerIdentity: 2 });
    const held = quota.beginRun(ALICE);
    for (let i = 0; i < 5; i++) refusal(() => quota.beginRun(ALICE));
    held.release();
    // Only the one admitted run is in the minute window, so one more fits.
    quota.beginRun(ALICE).release();
    expect(refusal(() => quota.beginRun(ALICE)).code).toBe('rate_limited');
  });

  it('Should refuse new threads past the daily limit until UTC midnight, also after reopening the database', () => {
    const { quota, clock, dir } = setup({ threadsPerDayPerIdentity: 2 });
    quota.newThread(ALICE);
    quota.newThread(ALICE);
    const refused = refusal(() => quota.newThread(ALICE));
    expect(refused).toMatchObject({ code: 'rate_limited', retryable: true, retryAfterMs: 12 * HOUR });
    quota.newThread(BOB);
    expect(quota.today(ALICE).threads).toBe(2);

    const reopened = setup({ threadsPerDayPerIdentity: 2 }, { dir });
    reopened.clock.now = clock.now + 11 * HOUR;
    expect(refusal(() => reopened.quota.newThread(ALICE)).retryAfterMs).toBe(HOUR);
    reopened.clock.now = clock.now + 12 * HOUR; // the next UTC day
    reopened.quota.newThread(ALICE);
    expect(reopened.quota.today(ALICE).threads).toBe(1);
  });

  it('Should refuse new runs once the identity has spent its daily tokens, with the budget message, until midnight', () => {
    const { quota, clock } = setup({ dailyTokensPerIdentity: 100, budgetMessage: 'Our assistant is resting until tomorrow.' });
    const run = quota.beginRun(ALICE);
    run.addUsage({ inputTokens: 60, outputTokens: 30 });
    run.release();
    quota.beginRun(ALICE).addUsage({ inputTokens: 5, outputTokens: 5 }); // a run in progress is not cut off
    expect(quota.today(ALICE).tokens).toBe(100);
    clock.now = NOON + 2 * HOUR;
    const refused = refusal(() => quota.beginRun(ALICE));
    expect(refused).toMatchObject({
      code: 'rate_limited',
      retryable: true,
      message: 'Our assistant is resting until tomorrow.',
      retryAfterMs: 10 * HOUR,
    });
    quota.beginRun(BOB).release();
    clock.now = Date.UTC(2026, 2, 11, 0, 0, 1);
    quota.beginRun(ALICE).release();
  });

  it('Should refuse every identity of a site once the site spent its daily tokens, and keep other sites apart', () => {
    const { quota } = setup({ dailyTokensPerSite: 150 });
    quota.recordUsage(SHOP_ANN, { inputTokens: 100, outputTokens: 0 });
    quota.recordUsage(SHOP_BEN, { inputTokens: 40, outputTokens: 20 });
    expect(quota.today(SHOP_BEN)).toMatchObject({ tokens: 60, siteTokens: 160 });
    expect(refusal(() => quota.beginRun(SHOP_ANN)).message).toBe(DEFAULT_QUOTAS.budgetMessage);
    expect(refusal(() => quota.beginRun('site:shop:visitor:vis_new')).code).toBe('rate_limited');
    // Open-mode owners count as their own site.
    quota.beginRun(ALICE).release();
    expect(quota.today(ALICE).siteTokens).toBe(0);
  });

  it("Should apply a site's overrides to its identities only", () => {
    const shop: QuotaLimits = { ...OFF, runsPerMinutePerIdentity: 1, dailyTokensPerIdentity: 10, budgetMessage: 'The shop assistant is closed for today.' };
    const { quota } = setup({}, { limitsFor: (siteId) => (siteId === 'shop' ? shop : { ...OFF, runsPerMinutePerIdentity: 5 }) });
    quota.beginRun(SHOP_ANN).release();
    expect(refusal(() => quota.beginRun(SHOP_ANN)).code).toBe('rate_limited');
    for (let i = 0; i < 5; i++) quota.beginRun(ALICE).release();
    expect(refusal(() => quota.beginRun(ALICE)).code).toBe('rate_limited');
    quota.recordUsage(SHOP_BEN, { inputTokens: 8, outputTokens: 4 });
    expect(refusal(() => quota.beginRun(SHOP_BEN)).message).toBe('The shop assistant is closed for today.');
  });

  it('Should limit open sockets and hellos per IP, freeing a socket place when it closes', () => {
    const { quota, clock } = setup({ socketsPerIp: 2, hellosPerMinutePerIp: 3 });
    quota.openSocket('10.0.0.1');
    quota.openSocket('10.0.0.1');
    const refused = refusal(() => quota.openSocket('10.0.0.1'));
    expect(refused).toMatchObject({ code: 'rate_limited', retryable: true });
    expect(refused.retryAfterMs).toBeGreaterThan(0);
    quota.openSocket('10.0.0.2');
    quota.closeSocket('10.0.0.1');
    quota.openSocket('10.0.0.1');
    expect(refusal(() => quota.openSocket('10.0.0.1')).code).toBe('rate_limited');

    for (let i = 0; i < 3; i++) quota.hello('10.0.0.1');
    clock.now += 20_000;
    expect(refusal(() => quota.hello('10.0.0.1'))).toMatchObject({ code: 'rate_limited', retryAfterMs: 40_000 });
    quota.hello('10.0.0.2');
    clock.now += 40_000;
    quota.hello('10.0.0.1');
  });

  it('Should not limit what is set to 0', () => {
    const { quota } = setup({});
    for (let i = 0; i < 200; i++) {
      quota.beginRun(ALICE, '10.0.0.1');
      quota.newThread(ALICE);
      quota.openSocket('10.0.0.1');
      quota.hello('10.0.0.1');
    }
    quota.recordUsage(ALICE, { inputTokens: 10_000_000, outputTokens: 0 });
    quota.beginRun(ALICE).release();
  });

  it('Should log each refusal with the limit, owner, IP and count, one line per client every few seconds', () => {
    const { quota, clock, warnings } = setup({ concurrentRunsPerIdentity: 1 });
    quota.beginRun(ALICE, '10.0.0.9');
    for (let i = 0; i < 4; i++) refusal(() => quota.beginRun(ALICE, '10.0.0.9'));
    refusal(() => quota.beginRun(ALICE, '10.0.0.9'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('concurrentRunsPerIdentity 1/1');
    expect(warnings[0]).toContain(ALICE);
    expect(warnings[0]).toContain('10.0.0.9');
    quota.beginRun(BOB, '10.0.0.8');
    refusal(() => quota.beginRun(BOB, '10.0.0.8'));
    expect(warnings).toHaveLength(2);
    clock.now += 10_000;
    refusal(() => quota.beginRun(ALICE, '10.0.0.9'));
    expect(warnings).toHaveLength(3);
    expect(warnings[2]).toContain('+4 more');
  });

  it('Should forget daily counters older than 30 days', () => {
    const { quota, clock, store } = setup({});
    quota.recordUsage(ALICE, { inputTokens: 10, outputTokens: 0 });
    clock.now += 31 * 24 * HOUR;
    quota.recordUsage(BOB, { inputTokens: 10, outputTokens: 0 });
    expect(store.usage.on('identity', ALICE, '2026-03-10').tokens).toBe(0);
    expect(store.usage.on('identity', BOB, '2026-04-10').tokens).toBe(10);
  });

  it('Should count until midnight UTC', () => {
    expect(untilMidnight(Date.UTC(2026, 0, 1, 23, 59, 59))).toBe(1000);
    expect(untilMidnight(Date.UTC(2026, 0, 1))).toBe(24 * HOUR);
  });
});
