import { type Browser, type Page, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DemoServer, startDemoServer } from './demo-server.ts';

// What the demo page turns on for its visitors (starters, the conversation list, feedback) and
// Retry after a failed reply, in real Chromium against the real server and the offline model;
// a reload keeps all of it.
const CHROMIUM = process.env.CHROME_PATH ?? '/usr/bin/chromium';
const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

let server: DemoServer;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  server = await startDemoServer();
  browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ARGS });
  page = await (await browser.newContext({ viewport: { width: 1200, height: 900 } })).newPage();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

const chat = () => page.locator('agent-chat');
const vm = <T>(read: (vm: any) => T) => chat().evaluate((el, body) => new Function('vm', `return (${body})(vm)`)((el as any).viewModel), read.toString()) as Promise<T>;

async function openChat(): Promise<void> {
  await chat().locator('[part~="launcher"]').click();
  await chat().locator('[part~="input"]').waitFor();
  await expect.poll(() => vm((v) => v.connection)).toBe('connected');
}

/** Waits until a run newer than the one before `action` has finished; returns its status. */
async function afterRun(action: () => Promise<void>): Promise<string> {
  const before = await vm((v) => v.lastRun?.runId ?? null);
  await action();
  await expect.poll(async () => { const id = await vm((v) => v.lastRun?.runId ?? null); return id !== null && id !== before; }, { timeout: 15_000 }).toBe(true);
  await chat().evaluate(async (el) => {
    await (el as any).updateComplete;
    await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
  });
  return vm((v) => v.lastRun.status);
}

function type(text: string): Promise<string> {
  return afterRun(async () => {
    await chat().locator('[part~="input"]').fill(text);
    await chat().locator('[part~="input"]').press('Enter');
  });
}

const userTexts = () => chat().locator('[part~="user-message"] .bubble').allInnerTexts();

describe('the demo shop, as its owner set it up', () => {
  it('starters, feedback, retry after a failed reply, the conversation list, and a reload keeps it all', async () => {
    await page.goto(server.url);
    await openChat();

    // Starters on the empty conversation; one click sends it and gets an answer.
    const starters = chat().locator('[part~="starter"]');
    expect(await starters.allInnerTexts()).toEqual(['I was charged twice for order 1234', 'Where is my order 1234?', 'Refund order 1234']);
    expect(await afterRun(() => starters.nth(1).click())).toBe('completed');
    expect(await userTexts()).toEqual(['Where is my order 1234?']);
    expect(await starters.count()).toBe(0);
    const firstThread = await vm((v) => v.thread.id);

    // Feedback on the answer: pressed, then saved.
    const up = chat().locator('[part~="assistant-message"]').last().locator('[part~="feedback-button"][data-rating="up"]');
    await up.click();
    await expect.poll(() => up.getAttribute('aria-pressed')).toBe('true');
    await expect.poll(() => chat().locator('[part~="feedback"]').last().innerText()).toContain('Thanks for your feedback.');

    // A reply that fails, then Retry: answered, and the message is not sent twice.
    expect(await type('Please simulate an outage')).toBe('failed');
    const retry = chat().locator('[part~="run-retry-button"]');
    await retry.waitFor();
    expect(await chat().locator('[part~="status-line"]').innerText()).toMatch(/Retry/);
    expect(await afterRun(() => retry.click())).toBe('completed');
    expect(await retry.count()).toBe(0);
    expect(await userTexts()).toEqual(['Where is my order 1234?', 'Please simulate an outage']);
    const answers = await chat().locator('[part~="assistant-message"]').count();
    expect(answers).toBeGreaterThanOrEqual(2);

    // A second conversation, then back to the first through the list.
    await chat().locator('[part~="new-conversation-button"]').click();
    await expect.poll(() => vm((v) => v.thread !== null && v.items.length === 0)).toBe(true);
    expect(await type('Hello there')).toBe('completed');
    await chat().locator('[part~="history-button"]').click();
    const rows = chat().locator('[part~="thread"]');
    await expect.poll(() => rows.count()).toBe(2);
    expect((await rows.allInnerTexts()).map((t) => t.split('\n')[0])).toEqual(['Hello there', 'Where is my order 1234?']);
    await rows.nth(1).click();
    await expect.poll(() => vm((v) => v.thread?.id)).toBe(firstThread);
    await expect.poll(userTexts).toEqual(['Where is my order 1234?', 'Please simulate an outage']);

    // A reload: the same conversation, the rating still pressed, nothing to retry, the list intact.
    await page.reload();
    await openChat();
    await expect.poll(userTexts, { timeout: 10_000 }).toEqual(['Where is my order 1234?', 'Please simulate an outage']);
    expect(await vm((v) => v.thread.id)).toBe(firstThread);
    const rated = chat().locator('[part~="assistant-message"]').first().locator('[part~="feedback-button"][aria-pressed="true"]');
    await expect.poll(() => rated.getAttribute('data-rating')).toBe('up');
    expect(await chat().locator('[part~="run-retry-button"]').count()).toBe(0);
    expect(await chat().locator('[part~="assistant-message"]').count()).toBe(answers);
    const times = chat().locator('[part~="timestamp"]');
    expect(await times.count()).toBeGreaterThanOrEqual(4);
    expect(await times.first().getAttribute('datetime')).toMatch(/^\d{4}-\d\d-\d\dT/);
    await chat().locator('[part~="history-button"]').click();
    await expect.poll(() => rows.count()).toBe(2);
  }, 90_000);
});
