import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import '../src/index.ts';
import type { AgentChat } from '../src/index.ts';
import { peerSession, type PeerSession } from './support/peer.ts';

/*
 * Attaching files in <agent-chat>, against the scripted peer's upload routes over real HTTP
 * (cross-origin, so every upload goes through a CORS preflight with the Bearer token).
 */

const wait = { timeout: 5000, interval: 20 };
const ACCEPTED = ['image/png', 'image/jpeg', 'application/pdf', 'text/plain'];
/** A 1×1 PNG. */
const PNG = Uint8Array.from(atob('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII='), (c) => c.charCodeAt(0));

const png = (name = 'screenshot.png') => new File([PNG], name, { type: 'image/png' });
const pdf = (name = 'invoice.pdf', size = 2048) => new File([new Uint8Array(size).fill(37)], name, { type: 'application/pdf' });

function part(el: AgentChat, name: string): HTMLElement | null {
  return el.shadowRoot!.querySelector(`[part~="${name}"]`);
}
function parts(el: AgentChat, name: string): HTMLElement[] {
  return [...el.shadowRoot!.querySelectorAll<HTMLElement>(`[part~="${name}"]`)];
}
const sendButton = (el: AgentChat) => part(el, 'send-button') as HTMLButtonElement;

async function mount(session: PeerSession, limits: Record<string, unknown> = {}): Promise<AgentChat> {
  await session.uploadConfig({ limits: { maxFileBytes: 5 * 1024 * 1024, maxFilesPerMessage: 3, acceptedTypes: ACCEPTED, ...limits } });
  const el = await fixture<AgentChat>(html`<agent-chat mode="inline" server=${session.server} style="height: 480px"></agent-chat>`);
  await waitUntil(() => el.viewModel.connection === 'connected', 'never connected', wait);
  await el.updateComplete;
  return el;
}

function dataTransfer(files: File[]): DataTransfer {
  const dt = new DataTransfer();
  for (const file of files) dt.items.add(file);
  return dt;
}

/** What the file picker does when the visitor chooses files. */
function choose(el: AgentChat, files: File[]): void {
  const input = el.shadowRoot!.querySelector<HTMLInputElement>('input[type=file]')!;
  input.files = dataTransfer(files).files;
  input.dispatchEvent(new Event('change', { bubbles: true }));
}

async function typeAndSend(el: AgentChat, text: string): Promise<void> {
  const box = part(el, 'input') as HTMLTextAreaElement;
  box.value = text;
  box.dispatchEvent(new InputEvent('input', { bubbles: true, composed: true }));
  await el.updateComplete;
  sendButton(el).click();
  await el.updateComplete;
}

const uploaded = (el: AgentChat, count: number) =>
  waitUntil(() => el.viewModel.drafts.length === count && el.viewModel.drafts.every((d) => d.status === 'done'), 'uploads did not finish', wait);

async function sends(session: PeerSession) {
  return (await session.frames()).filter((f) => f.frame.type === 'message.send').map((f) => f.frame);
}

describe('<agent-chat> attachments', () => {
  beforeEach(() => localStorage.clear());

  it('has no attach button when the server takes no files', async () => {
    const session = await peerSession();
    const el = await mount(session, { maxFilesPerMessage: 0 });
    expect(part(el, 'attach-button')).to.equal(null);
    expect(el.shadowRoot!.querySelector('input[type=file]')).to.equal(null);
  });

  it('chooses a file with the attach button: chip with thumbnail, upload with the token, send carries the id, the message shows the image', async () => {
    const session = await peerSession();
    const el = await mount(session);
    const attach = part(el, 'attach-button') as HTMLButtonElement;
    expect(attach.getAttribute('aria-label')).to.equal('Attach files');
    const input = el.shadowRoot!.querySelector<HTMLInputElement>('input[type=file]')!;
    expect(input.multiple).to.equal(true);
    expect(input.accept.split(',')).to.include.members([...ACCEPTED, '.png', '.pdf', '.txt']);
    // The button opens the (hidden) picker.
    let picked = false;
    input.addEventListener('click', (e) => ((picked = true), e.preventDefault()), { once: true });
    attach.click();
    expect(picked).to.equal(true);

    choose(el, [png()]);
    await el.updateComplete;
    const chip = part(el, 'attachment-chip')!;
    expect(chip.querySelector('.chip__name')!.textContent).to.equal('screenshot.png');
    expect(chip.querySelector('.chip__meta')!.textContent).to.contain(`${PNG.length} B`);
    expect(chip.querySelector('img')!.getAttribute('src')).to.match(/^blob:/);
    await uploaded(el, 1);
    await el.updateComplete;
    expect(part(el, 'upload-progress')).to.equal(null);
    const posts = (await session.uploadLog()).filter((r) => r.method === 'POST');
    expect(posts).to.deep.equal([{ method: 'POST', path: 'uploads', authorization: 'Bearer up_1' }]);

    // A file alone may be sent, without text.
    expect(sendButton(el).disabled).to.equal(false);
    await typeAndSend(el, 'What is this?');
    await waitUntil(async () => (await sends(session)).length === 1, 'no message.send', wait);
    expect((await sends(session))[0]).to.deep.include({ text: 'What is this?', attachments: ['upl_1'] });
    expect(el.viewModel.drafts).to.deep.equal([]);
    expect(part(el, 'attachment-chip')).to.equal(null);

    // The sent message fetches the image with the token and shows it as a thumbnail.
    await waitUntil(() => part(el, 'attachment-thumbnail'), 'no thumbnail', wait);
    const thumb = part(el, 'attachment-thumbnail')!;
    expect(thumb.closest('[part~="user-message"]')).to.not.equal(null);
    expect(thumb.getAttribute('aria-label')).to.equal('Open screenshot.png');
    const img = thumb.querySelector('img')!;
    expect(img.src).to.match(/^blob:/);
    const gets = (await session.uploadLog()).filter((r) => r.method === 'GET');
    expect(gets[0]).to.deep.equal({ method: 'GET', path: 'uploads/upl_1', authorization: 'Bearer up_1' });
    await waitUntil(() => img.complete && img.naturalWidth === 1, 'image did not decode', wait);
    await expect(el).shadowDom.to.be.accessible();

    // It opens full size in a modal dialog; Escape closes it.
    thumb.click();
    await el.updateComplete;
    const dialog = part(el, 'lightbox') as HTMLDialogElement;
    expect(dialog.open).to.equal(true);
    expect(dialog.querySelector('img')!.getAttribute('src')).to.equal(img.getAttribute('src'));
    dialog.querySelector<HTMLButtonElement>('[part~="lightbox-close-button"]')!.click();
    await waitUntil(() => part(el, 'lightbox') === null, 'lightbox did not close', wait);
  });

  it('drag and drop onto the panel shows the overlay and attaches; a sent file downloads through a blob', async () => {
    const session = await peerSession();
    const el = await mount(session);
    const panel = part(el, 'panel')!;
    const dt = dataTransfer([pdf()]);
    panel.dispatchEvent(new DragEvent('dragenter', { bubbles: true, cancelable: true, dataTransfer: dt }));
    await el.updateComplete;
    expect(part(el, 'drop-overlay')).to.not.equal(null);
    const over = new DragEvent('dragover', { bubbles: true, cancelable: true, dataTransfer: dt });
    part(el, 'messages')!.dispatchEvent(over);
    expect(over.defaultPrevented, 'dragover allows the drop').to.equal(true);
    const drop = new DragEvent('drop', { bubbles: true, cancelable: true, dataTransfer: dt });
    part(el, 'messages')!.dispatchEvent(drop);
    expect(drop.defaultPrevented, 'the browser does not open the file').to.equal(true);
    await el.updateComplete;
    expect(part(el, 'drop-overlay')).to.equal(null);
    expect(part(el, 'attachment-chip')!.querySelector('.chip__name')!.textContent).to.equal('invoice.pdf');
    expect(part(el, 'attachment-chip')!.querySelector('img')).to.equal(null);
    await uploaded(el, 1);
    await typeAndSend(el, 'Here is the invoice');
    // The pending message shows the file (inert) until the server's item replaces it.
    await waitUntil(() => el.viewModel.pending.length === 0 && part(el, 'attachment'), 'no file chip in the message', wait);
    const fileChip = part(el, 'attachment') as HTMLButtonElement;
    expect(fileChip.textContent).to.contain('invoice.pdf').and.contain('2 KB');

    // Click: fetch with the token → blob → a[download].
    const clicked: Array<{ href: string; download: string }> = [];
    const original = HTMLAnchorElement.prototype.click;
    HTMLAnchorElement.prototype.click = function (this: HTMLAnchorElement) {
      clicked.push({ href: this.href, download: this.download });
    };
    try {
      fileChip.click();
      await waitUntil(() => clicked.length === 1, 'no download', wait);
    } finally {
      HTMLAnchorElement.prototype.click = original;
    }
    expect(clicked[0]!.download).to.equal('invoice.pdf');
    expect(clicked[0]!.href).to.match(/^blob:/);
    const blob = await (await fetch(clicked[0]!.href)).blob();
    expect(blob.size).to.equal(2048);

    // A file the server no longer has: the visitor reads why, nothing is saved.
    await session.uploadConfig({ forgetFiles: true });
    fileChip.click();
    await waitUntil(() => part(el, 'status-line')?.textContent?.includes('This file is no longer available.'), 'no message for a missing file', wait);
  });

  it('a pasted screenshot is attached with a thumbnail', async () => {
    const session = await peerSession();
    const el = await mount(session);
    const box = part(el, 'input') as HTMLTextAreaElement;
    const paste = new ClipboardEvent('paste', { bubbles: true, cancelable: true, clipboardData: dataTransfer([png('image.png')]) });
    box.dispatchEvent(paste);
    expect(paste.defaultPrevented).to.equal(true);
    await el.updateComplete;
    expect(part(el, 'attachment-chip')!.querySelector('img')!.getAttribute('src')).to.match(/^blob:/);
    await uploaded(el, 1);
    expect(el.viewModel.drafts[0]!.attachment).to.deep.equal({ id: 'upl_1', name: 'image.png', mime: 'image/png', size: PNG.length });
    // Pasting text alone is left to the text box.
    const text = new DataTransfer();
    text.setData('text/plain', 'hello');
    const plain = new ClipboardEvent('paste', { bubbles: true, cancelable: true, clipboardData: text });
    box.dispatchEvent(plain);
    expect(plain.defaultPrevented).to.equal(false);
  });

  it('shows real upload progress, and Send waits for the upload', async () => {
    const session = await peerSession();
    // Large enough not to fit in the socket buffers at once, read slowly by the peer.
    const size = 16 * 1024 * 1024;
    const el = await mount(session, { maxFileBytes: size });
    await session.uploadConfig({ readDelayMs: 5 });
    const values = new Set<number>();
    el.addController({
      hostUpdated: () => {
        const progress = part(el, 'upload-progress') as HTMLProgressElement | null;
        if (progress) values.add(progress.value);
      },
    });
    const box = part(el, 'input') as HTMLTextAreaElement;
    box.value = 'big one';
    box.dispatchEvent(new InputEvent('input', { bubbles: true, composed: true }));
    choose(el, [pdf('big.pdf', size)]);
    await el.updateComplete;
    const progress = part(el, 'upload-progress') as HTMLProgressElement;
    expect(progress.max).to.equal(size);
    expect(progress.getAttribute('aria-label')).to.equal('Uploading big.pdf');
    expect(sendButton(el).disabled, 'Send is off while uploading').to.equal(true);
    await uploaded(el, 1);
    await el.updateComplete;
    const between = [...values].filter((v) => v > 0 && v < size);
    expect(between.length, `progress values ${[...values].join(', ')}`).to.be.greaterThan(0);
    expect(sendButton(el).disabled).to.equal(false);
  });

  it('refuses a too-large file, a type not accepted and one file too many before any upload', async () => {
    const session = await peerSession();
    const el = await mount(session, { maxFileBytes: 1000, maxFilesPerMessage: 1 });
    choose(el, [pdf('huge.pdf', 5000), new File(['MZ'], 'setup.exe', { type: 'application/x-msdownload' })]);
    await el.updateComplete;
    const notice = part(el, 'attach-notice')!;
    expect(notice.getAttribute('role')).to.equal('alert');
    expect(notice.textContent).to.contain('“huge.pdf” is too large (4.9 KB); the limit is 1000 B.');
    expect(notice.textContent).to.contain('“setup.exe” can\'t be attached: only PNG, JPEG, PDF, text files are accepted.');
    expect(part(el, 'attachment-chip')).to.equal(null);

    choose(el, [png('one.png'), png('two.png')]);
    await el.updateComplete;
    expect(parts(el, 'attachment-chip')).to.have.length(1);
    expect(part(el, 'attach-notice')!.textContent).to.contain('You can attach up to 1 file per message; 1 was left out.');
    await uploaded(el, 1);
    // Only the accepted file reached the server (no request at all for the refused ones).
    expect((await session.uploadLog()).filter((r) => r.method === 'POST')).to.have.length(1);
    part(el, 'attach-notice')!.querySelector('button')!.click();
    await el.updateComplete;
    expect(part(el, 'attach-notice')).to.equal(null);
  });

  it('a removed file (even mid-upload) does not go with the message', async () => {
    const session = await peerSession();
    const el = await mount(session);
    choose(el, [png('keep.png'), pdf('drop.pdf')]);
    await uploaded(el, 2);
    await el.updateComplete;
    const chips = parts(el, 'attachment-chip');
    const remove = chips[1]!.querySelector<HTMLButtonElement>('[part~="remove-attachment-button"]')!;
    expect(remove.getAttribute('aria-label')).to.equal('Remove drop.pdf');
    remove.click();
    await el.updateComplete;
    expect(parts(el, 'attachment-chip').map((c) => c.querySelector('.chip__name')!.textContent)).to.deep.equal(['keep.png']);

    // One still uploading: removing it aborts it and Send is possible again.
    await session.uploadConfig({ readDelayMs: 20 });
    choose(el, [pdf('slow.pdf', 2 * 1024 * 1024)]);
    await el.updateComplete;
    expect(sendButton(el).disabled).to.equal(true);
    parts(el, 'attachment-chip')[1]!.querySelector<HTMLButtonElement>('[part~="remove-attachment-button"]')!.click();
    await el.updateComplete;
    expect(sendButton(el).disabled).to.equal(false);
    const keepId = el.viewModel.drafts[0]!.attachment!.id;
    await typeAndSend(el, 'only one');
    await waitUntil(async () => (await sends(session)).length === 1, 'no message.send', wait);
    const [frame] = await sends(session);
    expect(frame!.attachments).to.deep.equal([keepId]);
    await waitUntil(() => el.viewModel.items.some((i) => i.type === 'user_message'), 'no user item', wait);
    const item = el.viewModel.items.find((i) => i.type === 'user_message')!;
    expect(item.type === 'user_message' && item.attachments.map((a) => a.name)).to.deep.equal(['keep.png']);
  });

  it('a failed upload says why (the server\'s message) and can be retried', async () => {
    const session = await peerSession();
    const el = await mount(session);
    await session.uploadConfig({ refuse: { status: 415, code: 'invalid_request', message: 'This file is not really a PNG.', times: 1 } });
    const errors: string[] = [];
    el.addEventListener('agent-chat-error', (e) => errors.push(e.detail.message));
    choose(el, [png()]);
    await waitUntil(() => el.viewModel.drafts[0]?.status === 'failed', 'did not fail', wait);
    await el.updateComplete;
    const chip = part(el, 'attachment-chip')!;
    expect(chip.dataset.status).to.equal('failed');
    expect(chip.querySelector('[role="alert"]')!.textContent).to.contain('This file is not really a PNG.');
    expect(errors).to.deep.equal(['This file is not really a PNG.']);
    await expect(el).shadowDom.to.be.accessible();
    await typeAndSend(el, 'with text');
    expect(sendButton(el).disabled, 'Send is off while an upload failed').to.equal(true);
    chip.querySelector<HTMLButtonElement>('[part~="upload-retry-button"]')!.click();
    await uploaded(el, 1);
    expect(sendButton(el).disabled).to.equal(false);
  });

  it('an expired upload token is renewed by reconnecting, and the upload goes again', async () => {
    const session = await peerSession();
    const el = await mount(session);
    await session.uploadConfig({ expireTokens: true });
    const uploads: string[] = [];
    el.addEventListener('agent-chat-upload', (e) => uploads.push(e.detail.attachment.id));
    choose(el, [png()]);
    await uploaded(el, 1);
    const posts = (await session.uploadLog()).filter((r) => r.method === 'POST');
    expect(posts.map((p) => p.authorization)).to.deep.equal(['Bearer up_1', 'Bearer up_2']);
    expect(uploads).to.deep.equal(['upl_1']);
    await waitUntil(() => el.viewModel.connection === 'connected', 'did not reconnect', wait);
    // The thread was resumed, not replaced.
    const opens = (await session.frames()).filter((f) => f.frame.type === 'thread.open').map((f) => f.frame);
    expect(opens.at(-1)).to.have.property('afterSeq');
  });

  it('shows the attachments again after a reload, names as text only', async () => {
    const session = await peerSession();
    const first = await mount(session);
    const hostile = '<img src=x onerror=window.__pwned=1>.png';
    choose(first, [png(hostile), pdf('notes.pdf')]);
    await uploaded(first, 2);
    await first.updateComplete;
    expect(part(first, 'attachment-chip')!.querySelector('.chip__name')!.textContent).to.equal(hostile);
    await typeAndSend(first, 'two files');
    await waitUntil(() => first.viewModel.lastRun?.status === 'completed', 'run', wait);
    first.remove();

    const second = await mount(session);
    await waitUntil(() => part(second, 'attachment-thumbnail') && part(second, 'attachment'), 'attachments not shown after reload', wait);
    expect(part(second, 'attachment-thumbnail')!.getAttribute('aria-label')).to.equal(`Open ${hostile}`);
    expect(part(second, 'attachment-thumbnail')!.querySelector('img')!.alt).to.equal(hostile);
    expect(part(second, 'attachment')!.textContent).to.contain('notes.pdf');
    expect(second.shadowRoot!.querySelector('img[src="x"]')).to.equal(null);
    expect((window as unknown as { __pwned?: number }).__pwned).to.equal(undefined);
  });
});
