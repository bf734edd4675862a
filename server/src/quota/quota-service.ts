import type { Usage } from '@agent-chat/shared';
import { AppError } from '../errors.ts';
import { siteOfOwner } from '../identity/owner-key.ts';
import { KeyedLock } from '../keyed-lock.ts';
import type { Logger } from '../logger.ts';
import type { Metrics } from '../observability/metrics.ts';
import type { Storage } from '../store/storage.ts';
import type { QuotaLimits } from './quota-limits.ts';
import { SlidingWindow } from './sliding-window.ts';

/** The site key open-mode owners (no site) are counted under. */
export const OPEN_SITE = '_open';

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;
/** Concurrency and socket limits have no window to compute a wait from; these are hints. */
const BUSY_RETRY_MS = 5_000;
const SOCKETS_RETRY_MS = 15_000;
/** Daily counters older than this are pruned. */
const KEEP_DAYS = 30;
/** One log line per limit and client at most this often; the rest are counted into the next line. */
const LOG_EVERY_MS = 10_000;

export interface QuotaServiceOptions {
  storage: Pick<Storage, 'usage' | 'runs' | 'commits' | 'uploads'>;
  /** The limits that apply to a site (null: open mode, or before the site is known). */
  limitsFor: (siteId: string | null) => QuotaLimits;
  log: Logger;
  /** Milliseconds since the epoch (tests move it forward instead of waiting). */
  now?: () => number;
  /** Where refusals are counted, by limit (none by default). */
  metrics?: Metrics;
}

/** A run admitted by `beginRun`: report its model usage, and release it once it has ended. */
export interface RunLease {
  /** Counts a run's token usage against its identity and site for today. */
  addUsage(usage: Usage): Promise<void>;
  /** Frees the identity's concurrency slot (idempotent). */
  release(): void;
}

/** Which limit refused a request (the field of `QuotaLimits`), as written to the operator log. */
export type QuotaName = Exclude<keyof QuotaLimits, 'budgetMessage'>;

/** Who a refusal was about, for the operator log. */
interface Subject {
  owner?: string;
  ip?: string;
}

/**
 * Decides whether a client may open a socket, say hello, start a thread or start a run, and
 * counts what it spends. Per-minute windows, sockets and runs in flight are kept in memory;
 * daily counters (tokens per identity and per site, threads per identity) are in storage so a
 * restart does not reset them. Every refusal is `rate_limited` with `retryAfterMs`, and is
 * logged for the operator with the limit that refused it.
 */
/** The keys a run start is counted under, for the per-minute limits that are on. */
function rateKeysOf(owner: string, ip: string | undefined, limits: QuotaLimits): string[] {
  const keys: string[] = [];
  if (limits.runsPerMinutePerIdentity > 0) keys.push(`identity:${owner}`);
  if (ip !== undefined && limits.runsPerMinutePerIp > 0) keys.push(`ip:${ip}`);
  return keys;
}

export class QuotaService {
  #storage: QuotaServiceOptions['storage'];
  #limitsFor: QuotaServiceOptions['limitsFor'];
  #log: Logger;
  #now: () => number;
  #metrics: Metrics | undefined;
  #runsByIdentity = new SlidingWindow(MINUTE_MS);
  #runsByIp = new SlidingWindow(MINUTE_MS);
  #hellosByIp = new SlidingWindow(MINUTE_MS);
  #inFlight = new Map<string, number>();
  #sockets = new Map<string, number>();
  #logged = new Map<string, { at: number; suppressed: number }>();
  #prunedOn = '';
  /** When run starts were last pruned (ms). */
  #startsPrunedAt = 0;
  /** One new-thread check at a time per owner: each sees the count of the one before. */
  #newThreads = new KeyedLock();

  constructor(options: QuotaServiceOptions) {
    this.#storage = options.storage;
    this.#limitsFor = options.limitsFor;
    this.#log = options.log;
    this.#now = options.now ?? Date.now;
    this.#metrics = options.metrics;
  }

  /**
   * Admits a new socket from `ip`; `closeSocket` frees its place when it closes (a counter,
   * not a closure per socket: an idle connection should cost little). Checked before the site is known, so the server-wide defaults apply.
   * @throws AppError rate_limited past `socketsPerIp`.
   */
  openSocket(ip: string): void {
    const limit = this.#limitsFor(null).socketsPerIp;
    const open = this.#sockets.get(ip) ?? 0;
    if (over(open, limit)) {
      this.#refuse('socketsPerIp', { ip }, open, limit, SOCKETS_RETRY_MS, 'Too many chat connections from your network. Close other chat windows, or try again later.');
    }
    this.#sockets.set(ip, open + 1);
  }

  /** Frees the place of a socket `openSocket` admitted (call once per admitted socket). */
  closeSocket(ip: string): void {
    const left = (this.#sockets.get(ip) ?? 1) - 1;
    if (left > 0) this.#sockets.set(ip, left);
    else this.#sockets.delete(ip);
  }

  /**
   * Counts a `hello` from `ip` (server-wide defaults: the site is not known yet).
   * @throws AppError rate_limited past `hellosPerMinutePerIp`.
   */
  hello(ip: string): void {
    const now = this.#now();
    const limit = this.#limitsFor(null).hellosPerMinutePerIp;
    if (limit === 0) return;
    const wait = this.#hellosByIp.waitMs(ip, limit, now);
    if (wait > 0) this.#refuse('hellosPerMinutePerIp', { ip }, this.#hellosByIp.count(ip, now), limit, wait, 'Too many connection attempts. Please wait a moment.');
    this.#hellosByIp.hit(ip, now);
  }

  /**
   * Counts a new thread for `owner` today (persisted).
   * @throws AppError rate_limited past `threadsPerDayPerIdentity`, until UTC midnight.
   */
  newThread(owner: string, ip?: string): Promise<void> {
    return this.#newThreads.run(owner, () => this.#newThread(owner, ip));
  }

  async #newThread(owner: string, ip?: string): Promise<void> {
    const now = this.#now();
    const limit = this.#limits(owner).threadsPerDayPerIdentity;
    const day = utcDay(now);
    const { threads } = await this.#storage.usage.on('identity', owner, day);
    if (over(threads, limit)) {
      this.#refuse('threadsPerDayPerIdentity', { owner, ip }, threads, limit, untilMidnight(now), 'You have started as many conversations as allowed today. Continue an existing one, or come back tomorrow.');
    }
    await this.#storage.usage.countThread('identity', owner, day);
    this.#prune(day);
  }

  /**
   * Admits `size` more bytes of uploaded files for `owner`: what it keeps stored plus these
   * must stay within `uploadBytesPerIdentity`. Nothing is counted: the stored rows are the count.
   * @throws AppError rate_limited past the limit (retry once files are deleted or expire).
   */
  async admitUpload(owner: string, size: number, retryAfterMs: number): Promise<void> {
    const limit = this.#limits(owner).uploadBytesPerIdentity;
    if (limit === 0) return;
    const used = await this.#storage.uploads.usedBytes(owner);
    if (used + size > limit) {
      this.#refuse('uploadBytesPerIdentity', { owner }, used + size, limit, retryAfterMs, 'You have uploaded as many files as allowed. Delete a conversation with files, or try again later.');
    }
  }

  /**
   * Admits a new run for `owner` (from `ip` when known): daily token budgets of the identity
   * and its site, runs in flight, runs per minute per identity and per IP, in that order.
   * Nothing is counted when it refuses.
   * @throws AppError rate_limited naming no limit to the visitor; past a budget, with the
   *   site's budget message and a wait until UTC midnight.
   */
  async beginRun(owner: string, ip?: string): Promise<RunLease> {
    const day = utcDay(this.#now());
    const limits = this.#limits(owner);
    // Where several instances share the database, the replies in flight and the runs started per
    // minute are counted there too (each instance also keeps its own exact windows).
    const sharedDb = this.#storage.commits !== undefined;
    const at = this.#now();
    const rateKeys = sharedDb ? rateKeysOf(owner, ip, limits) : [];
    const [mine, site, running, ...starts] = await Promise.all([
      this.#storage.usage.on('identity', owner, day),
      this.#storage.usage.on('site', siteKey(owner), day),
      sharedDb && limits.concurrentRunsPerIdentity > 0 ? this.#storage.runs.runningOf(owner) : 0,
      ...rateKeys.map((key) => this.#storage.usage.runStarts(key, new Date(at - 60_000).toISOString())),
    ]);
    // From here on nothing awaits: the checks and the counting below see every other admission.
    const now = this.#now();
    const subject = { owner, ip };
    const spent = mine.tokens;
    if (over(spent, limits.dailyTokensPerIdentity)) {
      this.#refuse('dailyTokensPerIdentity', subject, spent, limits.dailyTokensPerIdentity, untilMidnight(now), limits.budgetMessage);
    }
    const siteSpent = site.tokens;
    if (over(siteSpent, limits.dailyTokensPerSite)) {
      this.#refuse('dailyTokensPerSite', subject, siteSpent, limits.dailyTokensPerSite, untilMidnight(now), limits.budgetMessage);
    }
    const inFlight = Math.max(this.#inFlight.get(owner) ?? 0, running);
    if (over(inFlight, limits.concurrentRunsPerIdentity)) {
      this.#refuse('concurrentRunsPerIdentity', subject, inFlight, limits.concurrentRunsPerIdentity, BUSY_RETRY_MS, 'Other replies are still being written. Wait for one to finish, then try again.');
    }
    const tooFast = 'You are sending messages too quickly. Please wait a moment and try again.';
    rateKeys.forEach((key, i) => {
      // The same sliding minute as each instance's own window, over the starts of every instance.
      const started = starts[i] ?? [];
      const limit = key.startsWith('ip:') ? limits.runsPerMinutePerIp : limits.runsPerMinutePerIdentity;
      if (started.length >= limit) {
        const wait = Date.parse(started[started.length - limit]!) + 60_000 - now;
        this.#refuse(key.startsWith('ip:') ? 'runsPerMinutePerIp' : 'runsPerMinutePerIdentity', subject, started.length, limit, Math.max(1, wait), tooFast);
      }
    });
    if (limits.runsPerMinutePerIdentity > 0) {
      const wait = this.#runsByIdentity.waitMs(owner, limits.runsPerMinutePerIdentity, now);
      if (wait > 0) this.#refuse('runsPerMinutePerIdentity', subject, this.#runsByIdentity.count(owner, now), limits.runsPerMinutePerIdentity, wait, tooFast);
    }
    if (ip !== undefined && limits.runsPerMinutePerIp > 0) {
      const wait = this.#runsByIp.waitMs(ip, limits.runsPerMinutePerIp, now);
      if (wait > 0) this.#refuse('runsPerMinutePerIp', subject, this.#runsByIp.count(ip, now), limits.runsPerMinutePerIp, wait, tooFast);
    }

    if (limits.runsPerMinutePerIdentity > 0) this.#runsByIdentity.hit(owner, now);
    if (ip !== undefined && limits.runsPerMinutePerIp > 0) this.#runsByIp.hit(ip, now);
    this.#inFlight.set(owner, (this.#inFlight.get(owner) ?? 0) + 1);
    if (rateKeys.length > 0) {
      this.#storage.usage.countRunStart(rateKeys, new Date(now).toISOString()).catch((error: unknown) => this.#log.error('could not count a run start', error));
      this.#pruneRunStarts(at);
    }
    let released = false;
    return {
      addUsage: (usage) => this.recordUsage(owner, usage),
      release: () => {
        if (released) return;
        released = true;
        const left = (this.#inFlight.get(owner) ?? 1) - 1;
        if (left > 0) this.#inFlight.set(owner, left);
        else this.#inFlight.delete(owner);
      },
    };
  }

  /** Adds a run's tokens (input + output) to today's count of `owner` and of its site. */
  async recordUsage(owner: string, usage: Usage): Promise<void> {
    const tokens = usage.inputTokens + usage.outputTokens;
    if (tokens <= 0) return;
    const day = utcDay(this.#now());
    // Each an atomic increment: concurrent runs (and instances) never lose one another's tokens.
    await Promise.all([
      this.#storage.usage.addTokens('identity', owner, day, tokens),
      this.#storage.usage.addTokens('site', siteKey(owner), day, tokens),
    ]);
    this.#prune(day);
  }

  /** What `owner` and its site spent today (diagnostics and tests). */
  async today(owner: string): Promise<{ tokens: number; siteTokens: number; threads: number }> {
    const day = utcDay(this.#now());
    const [mine, site] = await Promise.all([this.#storage.usage.on('identity', owner, day), this.#storage.usage.on('site', siteKey(owner), day)]);
    return { tokens: mine.tokens, threads: mine.threads, siteTokens: site.tokens };
  }

  /** A site's daily token budget (0: none) and what it spent today, UTC (null: an open server). */
  async budgetOf(siteId: string | null): Promise<{ dailyTokens: number; usedToday: number }> {
    const spent = await this.#storage.usage.on('site', siteId ?? OPEN_SITE, utcDay(this.#now()));
    return { dailyTokens: this.#limitsFor(siteId).dailyTokensPerSite, usedToday: spent.tokens };
  }

  /** Runs of `owner` in flight. */
  runsInFlight(owner: string): number {
    return this.#inFlight.get(owner) ?? 0;
  }

  #limits(owner: string): QuotaLimits {
    return this.#limitsFor(siteOfOwner(owner));
  }

  /** Logs the refusal for the operator (throttled per limit and client) and throws it to the visitor. */
  #refuse(name: QuotaName, subject: Subject, count: number, limit: number, retryAfterMs: number, message: string): never {
    this.#metrics?.quotaRefused(name);
    const now = this.#now();
    const key = `${name} ${subject.owner ?? ''} ${subject.ip ?? ''}`;
    const last = this.#logged.get(key);
    if (last && now - last.at < LOG_EVERY_MS) {
      last.suppressed++;
    } else {
      if (this.#logged.size > 10_000) this.#logged.clear();
      const more = last && last.suppressed > 0 ? ` (+${last.suppressed} more since the last line)` : '';
      this.#log.warn(
        `quota: refused ${name} ${count}/${limit} · owner ${subject.owner ?? '-'} · ip ${subject.ip ?? '-'} · retry in ${Math.ceil(retryAfterMs / 1000)} s${more}`,
      );
      this.#logged.set(key, { at: now, suppressed: 0 });
    }
    throw new AppError('rate_limited', message, { retryAfterMs });
  }

  /** Once per day: forgets daily counters older than `KEEP_DAYS`. */
  /** Forgets run starts older than ten minutes, at most once every ten minutes. */
  #pruneRunStarts(at: number): void {
    if (at - this.#startsPrunedAt < 600_000) return;
    this.#startsPrunedAt = at;
    this.#storage.usage.pruneRunStartsBefore(new Date(at - 600_000).toISOString()).catch((error: unknown) => this.#log.error('could not prune run-start counts', error));
  }

  #prune(day: string): void {
    if (this.#prunedOn === day) return;
    this.#prunedOn = day;
    this.#storage.usage.pruneBefore(utcDay(Date.parse(`${day}T00:00:00Z`) - KEEP_DAYS * DAY_MS)).catch((error: unknown) => {
      this.#log.error('quota: could not prune old daily counters', error);
    });
  }
}

/** A limit of 0 is off; otherwise `count` already used means one more is too many. */
function over(count: number, limit: number): boolean {
  return limit > 0 && count >= limit;
}

/** The site an owner's tokens count against; open-mode owners share one. */
function siteKey(owner: string): string {
  return siteOfOwner(owner) ?? OPEN_SITE;
}

/** The UTC date of `ms`, `YYYY-MM-DD`. */
export function utcDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** Milliseconds from `ms` to the next UTC midnight (daily counters start again there). */
export function untilMidnight(ms: number): number {
  return DAY_MS - (ms % DAY_MS);
}
