import { expect } from '@open-wc/testing';
import type { Limits } from '@agent-chat/shared';
import { httpUrl } from '../src/connection/server-url.ts';
import { reduce } from '../src/state/reducer.ts';
import { acceptAttribute, checkFiles, formatBytes, isAccepted, uploadsEnabled, type DraftFile } from '../src/state/attachments.ts';
import { canSendDraft, initialViewModel, type ViewModel } from '../src/state/view-model.ts';

const limits: Limits = { maxMessageChars: 4000, maxFileBytes: 1024, maxFilesPerMessage: 2, acceptedTypes: ['image/png', 'text/markdown', 'application/pdf'] };
const file = (name: string, size: number, type = '') => new File([new Uint8Array(size)], name, { type });

describe('attachment rules', () => {
  it('uploads are on only when the server allows files and bytes', () => {
    expect(uploadsEnabled(null)).to.equal(false);
    expect(uploadsEnabled({ ...limits, maxFilesPerMessage: 0 })).to.equal(false);
    expect(uploadsEnabled({ ...limits, maxFileBytes: 0 })).to.equal(false);
    expect(uploadsEnabled(limits)).to.equal(true);
  });

  it('accepts by type, by the extension when the browser gives no type, by wildcard and by extension entries', () => {
    expect(isAccepted(file('a.png', 1, 'image/png'), limits.acceptedTypes)).to.equal(true);
    expect(isAccepted(file('notes.md', 1), limits.acceptedTypes), '.md without a type').to.equal(true);
    expect(isAccepted(file('page.html', 1, 'text/html'), limits.acceptedTypes)).to.equal(false);
    // Platforms report odd types for some extensions (.csv as application/vnd.ms-excel): a known
    // extension is enough here, since the server decides from the bytes (415 on the chip).
    expect(isAccepted(file('sheet.md', 1, 'application/octet-stream'), limits.acceptedTypes)).to.equal(true);
    expect(isAccepted(file('a.gif', 1, 'image/gif'), ['image/*'])).to.equal(true);
    expect(isAccepted(file('data.csv', 1, 'text/csv'), ['.csv'])).to.equal(true);
    expect(isAccepted(file('anything.bin', 1), []), 'no list: the server decides').to.equal(true);
    expect(acceptAttribute(limits.acceptedTypes).split(',')).to.deep.equal(['image/png', 'text/markdown', 'application/pdf', '.png', '.pdf', '.md', '.markdown']);
  });

  it('refuses too large, wrong type and one too many, with a sentence for each', () => {
    const { accepted, refusals } = checkFiles(
      [file('big.pdf', 2048, 'application/pdf'), file('x.exe', 10, 'application/x-msdownload'), file('a.png', 10, 'image/png'), file('b.png', 10, 'image/png')],
      limits,
      1,
    );
    expect(accepted.map((f) => f.name)).to.deep.equal(['a.png']);
    expect(refusals).to.deep.equal([
      '“big.pdf” is too large (2 KB); the limit is 1 KB.',
      "“x.exe” can't be attached: only PNG, Markdown, PDF files are accepted.",
      'You can attach up to 2 files per message; 1 was left out.',
    ]);
  });

  it('formats sizes for people', () => {
    expect([0, 1023, 1024, 1536, 10 * 1024, 10 * 1024 * 1024, 1.5 * 1024 ** 3].map(formatBytes)).to.deep.equal(['0 B', '1023 B', '1 KB', '1.5 KB', '10 KB', '10 MB', '1.5 GB']);
  });

  it('builds the upload URL under the server base, ws→http', () => {
    expect(httpUrl('ws://chat.example:8787/chat', 'v1/uploads')).to.equal('http://chat.example:8787/chat/v1/uploads');
    expect(httpUrl('wss://chat.example/', 'v1/uploads/upl_1')).to.equal('https://chat.example/v1/uploads/upl_1');
  });
});

describe('reduce: drafts', () => {
  const draft = (key: string, extra: Partial<DraftFile> = {}): DraftFile => ({ key, name: `${key}.png`, size: 10, mime: 'image/png', status: 'uploading', loaded: 0, ...extra });
  const connected = (): ViewModel => ({
    ...initialViewModel(),
    connection: 'connected',
    limits,
    thread: { id: 'th_1', title: '', workflow: 'support', currentAgent: 'triage' },
  });

  it('adds chosen files, applies progress and results, removes, and Send waits for every upload', () => {
    let vm = reduce(connected(), { type: 'local.files-chosen', drafts: [draft('a'), draft('b')], refusals: ['“c” is too large'] });
    expect(vm.attachNotice).to.deep.equal(['“c” is too large']);
    expect(canSendDraft(vm, true), 'uploads in flight').to.equal(false);
    vm = reduce(vm, { type: 'local.draft-update', key: 'a', patch: { loaded: 5 } });
    expect(vm.drafts.map((d) => d.loaded)).to.deep.equal([5, 0]);
    vm = reduce(vm, { type: 'local.draft-update', key: 'a', patch: { status: 'done', attachment: { id: 'upl_a', name: 'a.png', mime: 'image/png', size: 10 } } });
    vm = reduce(vm, { type: 'local.draft-update', key: 'b', patch: { status: 'failed', error: 'nope' } });
    expect(canSendDraft(vm, true), 'a failed upload').to.equal(false);
    vm = reduce(vm, { type: 'local.draft-remove', key: 'b' });
    expect(canSendDraft(vm, false), 'files alone may be sent').to.equal(true);
    expect(reduce(vm, { type: 'local.draft-update', key: 'gone', patch: { loaded: 1 } })).to.equal(vm);
    // New conversation keeps the chosen files; sending takes them.
    vm = reduce(vm, { type: 'local.new-thread' });
    expect(vm.drafts.map((d) => d.key)).to.deep.equal(['a']);
    vm = reduce(vm, { type: 'local.send', clientMessageId: 'c1', text: '', createdAt: '', attachments: [vm.drafts[0]!.attachment!] });
    expect(vm.drafts).to.deep.equal([]);
    expect(vm.attachNotice).to.deep.equal([]);
    expect(vm.pending[0]!.attachments.map((a) => a.id)).to.deep.equal(['upl_a']);
    expect(canSendDraft({ ...vm, thread: connected().thread }, false), 'nothing to send').to.equal(false);
  });
});
