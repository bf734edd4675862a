import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import type { TemplateResult } from 'lit';
import '../src/index.ts';
import type { AgentChat } from '../src/index.ts';
import { LANGUAGES, localeFor } from '../src/i18n/languages.ts';
import { checkFiles } from '../src/state/attachments.ts';
import { peerSession, type PeerSession } from './support/peer.ts';

/*
 * The widget's languages against the scripted protocol peer: each table reaches the DOM
 * (texts and accessible names), the language is picked in the documented order, it changes
 * at run time, and the site owner's texts (attributes and `strings`) replace the defaults,
 * with bad values falling back and warning once.
 */

const wait = { timeout: 5000, interval: 20 };

function part(el: AgentChat, name: string): HTMLElement | null {
  return el.shadowRoot!.querySelector(`[part~="${name}"]`);
}
function parts(el: AgentChat, name: string): HTMLElement[] {
  return [...el.shadowRoot!.querySelectorAll<HTMLElement>(`[part~="${name}"]`)];
}
const text = (node: Element | null | undefined) => node?.textContent?.replace(/\s+/g, ' ').trim() ?? '';
const input = (el: AgentChat) => part(el, 'input') as HTMLTextAreaElement;
/** The empty conversation's text: the slot's own content when nothing is slotted. */
const greeting = (el: AgentChat) => text(el.shadowRoot!.querySelector('slot[name="empty"]'));

async function connected(el: AgentChat): Promise<AgentChat> {
  await waitUntil(() => el.viewModel.connection === 'connected', 'never connected', wait);
  await el.updateComplete;
  return el;
}

async function mount(session: PeerSession, template?: (server: string) => TemplateResult): Promise<AgentChat> {
  const made = template?.(session.server) ?? html`<agent-chat mode="inline" server=${session.server} style="height: 480px"></agent-chat>`;
  const container = await fixture<HTMLElement>(made);
  const el = container.localName === 'agent-chat' ? (container as AgentChat) : container.querySelector<AgentChat>('agent-chat')!;
  return connected(el);
}

async function send(el: AgentChat, message: string): Promise<void> {
  expect(el.send(message), 'send refused').to.equal(true);
  await el.updateComplete;
}

/** Replaces navigator.languages (and navigator.language) for one test. */
function browserLanguages(languages: string[]): () => void {
  Object.defineProperty(navigator, 'languages', { value: languages, configurable: true });
  Object.defineProperty(navigator, 'language', { value: languages[0], configurable: true });
  return () => {
    delete (navigator as { languages?: unknown }).languages;
    delete (navigator as { language?: unknown }).language;
  };
}

/** Collects console.warn calls for one test. */
function warnings(): { messages: string[]; restore(): void } {
  const original = console.warn;
  const messages: string[] = [];
  console.warn = (...args: unknown[]) => messages.push(args.map(String).join(' '));
  return { messages, restore: () => (console.warn = original) };
}

/** What a few keys look like in each language, written out (not read from the tables). */
const SPOT = {
  en: { greeting: 'How can we help you today?', placeholder: 'Type a message…', send: 'Send', newConversation: 'New conversation', options: 'Conversation options', status: 'Online', log: 'Conversation', youSaid: 'You said:' },
  es: { greeting: '¿En qué podemos ayudarte hoy?', placeholder: 'Escribe un mensaje…', send: 'Enviar', newConversation: 'Nueva conversación', options: 'Opciones de la conversación', status: 'En línea', log: 'Conversación', youSaid: 'Tú dijiste:' },
  ko: { greeting: '무엇을 도와드릴까요?', placeholder: '메시지를 입력하세요…', send: '보내기', newConversation: '새 대화', options: '대화 옵션', status: '온라인', log: '대화', youSaid: '내 메시지:' },
  ja: { greeting: 'どのようなご用件でしょうか？', placeholder: 'メッセージを入力…', send: '送信', newConversation: '新しい会話', options: '会話のオプション', status: 'オンライン', log: '会話', youSaid: 'あなた：' },
  ar: { greeting: 'كيف يمكننا مساعدتك اليوم؟', placeholder: 'اكتب رسالة…', send: 'إرسال', newConversation: 'محادثة جديدة', options: 'خيارات المحادثة', status: 'متصل', log: 'المحادثة', youSaid: 'أنت:' },
} as const;

describe('languages', () => {
  let pageLang = '';
  beforeEach(() => {
    localStorage.clear();
    pageLang = document.documentElement.lang;
    document.documentElement.lang = '';
  });
  afterEach(() => {
    document.documentElement.lang = pageLang;
  });

  for (const [language, expected] of Object.entries(SPOT)) {
    it(`renders its ${language} texts and accessible names`, async () => {
      const session = await peerSession();
      const el = await mount(session, (server) => html`<agent-chat mode="inline" lang=${language} server=${server} style="height: 480px"></agent-chat>`);
      expect(part(el, 'panel')!.getAttribute('lang')).to.equal(language);
      expect(part(el, 'panel')!.getAttribute('dir')).to.equal(language === 'ar' ? 'rtl' : 'ltr');
      expect(greeting(el)).to.equal(expected.greeting);
      expect(input(el).placeholder).to.equal(expected.placeholder);
      expect(part(el, 'send-button')!.getAttribute('aria-label')).to.equal(expected.send);
      expect(part(el, 'new-conversation-button')!.getAttribute('aria-label')).to.equal(expected.newConversation);
      expect(part(el, 'menu-button')!.getAttribute('aria-label')).to.equal(expected.options);
      expect(part(el, 'messages')!.getAttribute('aria-label')).to.equal(expected.log);
      expect(text(part(el, 'status'))).to.contain(expected.status);
      await send(el, 'hello');
      await waitUntil(() => parts(el, 'user-message').length === 1, 'no user message', wait);
      expect(text(part(el, 'user-message')!.querySelector('.sr-only'))).to.equal(expected.youSaid);
    });
  }

  it('speaks Spanish through a conversation: handoff, approval card, tool labels', async () => {
    const session = await peerSession();
    const el = await mount(session, (server) => html`<agent-chat mode="inline" lang="es" server=${server} style="height: 480px"></agent-chat>`);
    await send(el, 'billing please');
    await waitUntil(() => part(el, 'handoff'), 'no handoff', wait);
    expect(text(part(el, 'handoff'))).to.equal('Triage → pasó la conversación a Billing');
    await waitUntil(() => el.viewModel.activeRunId === null, 'the run never ended', wait);
    await send(el, 'refund order 1234');
    await waitUntil(() => part(el, 'approval'), 'no approval card', wait);
    // The question gets Spanish's opening mark; the asker line names the agent.
    expect(text(part(el, 'approval')!.querySelector('.approval__title'))).to.equal('¿Refund order?');
    expect(text(part(el, 'approval')!.querySelector('.approval__asker'))).to.equal('Triage pide tu aprobación.');
    expect(text(part(el, 'approve-button'))).to.equal('Aprobar');
    expect(text(part(el, 'deny-button'))).to.equal('Rechazar');
    part(el, 'approve-button')!.click();
    await waitUntil(() => part(el, 'tool-call'), 'the call never finished', wait);
    await waitUntil(() => text(part(el, 'tool-call')!.querySelector('.badge')) === 'Hecho', 'badge not in Spanish', wait);
    expect(text(part(el, 'tool-call')!.querySelector('dt'))).to.equal('Herramienta');
    expect(text(part(el, 'tool-call')!.querySelector('.tool__label'))).to.equal('Resultado');
  });

  it('speaks Spanish in the site-owner features: starters, feedback, thread list, times in Spanish on an English browser', async () => {
    const restore = browserLanguages(['en-US']);
    try {
      const session = await peerSession();
      const el = await mount(
        session,
        (server) => html`<agent-chat mode="inline" lang="es" history feedback starters=${JSON.stringify(['¿Dónde está mi pedido?'])} server=${server} style="height: 520px"></agent-chat>`,
      );
      expect(el.shadowRoot!.querySelector('.starters')!.getAttribute('aria-label')).to.equal('Preguntas sugeridas');
      expect(part(el, 'history-button')!.getAttribute('aria-label')).to.equal('Tus conversaciones');
      await send(el, 'hello');
      await waitUntil(() => part(el, 'feedback') !== null && el.viewModel.activeRunId === null, 'no rating buttons', wait);
      const bar = part(el, 'feedback')!;
      expect(bar.getAttribute('aria-label')).to.equal('Valora esta respuesta');
      expect(parts(el, 'feedback-button').map((b) => b.getAttribute('aria-label'))).to.deep.equal(['Útil', 'No es útil']);
      parts(el, 'feedback-button')[1]!.click();
      await waitUntil(() => part(el, 'feedback-comment'), 'no comment box', wait);
      expect(text(part(el, 'feedback-comment')!.querySelector('label'))).to.equal('¿Qué salió mal? (opcional)');
      expect(text(part(el, 'feedback-skip-button'))).to.equal('Omitir');
      // Hover times in the widget's language, not the browser's.
      const time = part(el, 'user-message')!.querySelector('time')!;
      expect(time.textContent).to.equal(new Intl.DateTimeFormat('es', { timeStyle: 'short' }).format(new Date(time.dateTime)));
      part(el, 'history-button')!.click();
      await waitUntil(() => parts(el, 'thread').length === 1, 'no thread list', wait);
      expect(text(el.shadowRoot!.querySelector('#threads-heading'))).to.equal('Tus conversaciones');
      expect(text(part(el, 'back-button'))).to.equal('Volver a la conversación');
      expect(text(part(el, 'thread-new-button'))).to.equal('Nuevo chat');
      expect(part(el, 'thread-delete-button')!.getAttribute('aria-label')).to.equal('Eliminar conversación: hello');
      expect(text(part(el, 'thread')!.querySelector('time'))).to.equal(new Intl.RelativeTimeFormat('es', { numeric: 'auto' }).format(0, 'second'));
    } finally {
      restore();
    }
  });

  it('speaks Arabic in the new features: "؟" on the approval question, tool status, starters, feedback, thread list', async () => {
    const session = await peerSession();
    const el = await mount(
      session,
      (server) => html`<agent-chat mode="inline" lang="ar" history feedback starters=${JSON.stringify(['أين طلبي؟'])} server=${server} style="height: 520px"></agent-chat>`,
    );
    expect(el.shadowRoot!.querySelector('.starters')!.getAttribute('aria-label')).to.equal('أسئلة مقترحة');
    await send(el, 'refund order 1234');
    await waitUntil(() => part(el, 'approval'), 'no approval card', wait);
    expect(text(part(el, 'approval')!.querySelector('.approval__title'))).to.equal('Refund order؟');
    expect(text(part(el, 'approval')!.querySelector('.approval__asker'))).to.equal('Triage يطلب موافقتك.');
    part(el, 'approve-button')!.click();
    await waitUntil(() => part(el, 'tool-call') && text(part(el, 'tool-call')!.querySelector('.badge')) === 'تم', 'badge not in Arabic', wait);
    await waitUntil(() => part(el, 'feedback') !== null && el.viewModel.activeRunId === null, 'no rating buttons', wait);
    expect(parts(el, 'feedback-button').map((b) => b.getAttribute('aria-label'))).to.deep.equal(['مفيدة', 'غير مفيدة']);
    part(el, 'history-button')!.click();
    await waitUntil(() => part(el, 'thread-list'), 'no thread list', wait);
    expect(text(el.shadowRoot!.querySelector('#threads-heading'))).to.equal('محادثاتك');
    expect(text(part(el, 'thread-new-button'))).to.equal('محادثة جديدة');
  });

  it('builds questions and counts with each language\'s marks and plural rules', () => {
    expect(LANGUAGES.en.approvalQuestion('Refund order 1234 — $59.00?')).to.equal('Refund order 1234 — $59.00?');
    expect(LANGUAGES.es.approvalQuestion('Reembolsar el pedido 1234.')).to.equal('¿Reembolsar el pedido 1234?');
    expect(LANGUAGES.es.approvalQuestion('¿Reembolsar?')).to.equal('¿Reembolsar?');
    expect(LANGUAGES.ar.approvalQuestion('استرداد الطلب 1234؟')).to.equal('استرداد الطلب 1234؟');
    expect(LANGUAGES.ja.approvalQuestion('注文 1234 を返金')).to.equal('注文 1234 を返金？');
    expect(LANGUAGES.en.launcherUnread('Open chat', 1)).to.equal('Open chat, 1 new reply');
    expect(LANGUAGES.en.launcherUnread('Open chat', 3)).to.equal('Open chat, 3 new replies');
    expect(LANGUAGES.es.launcherUnread('Abrir chat', 1)).to.equal('Abrir chat, 1 respuesta nueva');
    expect(LANGUAGES.es.launcherUnread('Abrir chat', 2)).to.equal('Abrir chat, 2 respuestas nuevas');
    expect(LANGUAGES.ar.launcherUnread('فتح المحادثة', 2)).to.equal('فتح المحادثة، ردّان جديدان');
  });

  it('formats dates in the resolved language, with the region of the first tag in that language', () => {
    expect(localeFor('en', ['de-DE', 'en-GB', 'en-US'])).to.equal('en-GB');
    expect(localeFor('es', [null, 'es_MX'])).to.equal('es-MX');
    expect(localeFor('ja', ['en-US', 'ja-!!'])).to.equal('ja');
  });

  it('words file refusals and sizes per language, with its plural rules', () => {
    const limits = { maxFileBytes: 1024, maxFilesPerMessage: 2, acceptedTypes: ['application/pdf'] } as never;
    const pdf = (name: string, size = 10) => new File([new Uint8Array(size)], name, { type: 'application/pdf' });
    const three = [pdf('a.pdf'), pdf('b.pdf'), pdf('c.pdf')];
    expect(checkFiles(three, limits, 0, LANGUAGES.es).refusals).to.deep.equal(['Puedes adjuntar hasta 2 archivos por mensaje; se ha quedado fuera 1.']);
    expect(checkFiles([...three, pdf('d.pdf')], limits, 0, LANGUAGES.es).refusals).to.deep.equal(['Puedes adjuntar hasta 2 archivos por mensaje; se han quedado fuera 2.']);
    // Arabic has a dual ("two files" is one word) and a plural for 3-10; digits as the browser writes Arabic.
    const n3 = new Intl.NumberFormat('ar').format(3);
    expect(checkFiles(three, limits, 0, LANGUAGES.ar).refusals).to.deep.equal(['يمكنك إرفاق ملفين كحد أقصى في كل رسالة؛ استُبعد ملف واحد.']);
    expect(checkFiles([pdf('a.pdf'), pdf('b.pdf'), pdf('c.pdf'), pdf('d.pdf'), pdf('e.pdf')], limits, 0, LANGUAGES.ar).refusals).to.deep.equal([
      `يمكنك إرفاق ملفين كحد أقصى في كل رسالة؛ استُبعدت ${n3} ملفات.`,
    ]);
    expect(checkFiles([pdf('big.pdf', 2048)], limits, 0, LANGUAGES.ja).refusals).to.deep.equal(['「big.pdf」は大きすぎます（2 KB）。上限は 1 KB です。']);
    const exe = new File(['x'], 'a.exe', { type: 'application/x-msdownload' });
    const images = { ...(limits as object), acceptedTypes: ['image/png', 'text/plain'] } as never;
    expect(checkFiles([exe], images, 0, LANGUAGES.es).refusals).to.deep.equal(['No se puede adjuntar «a.exe»: solo se aceptan archivos PNG, texto.']);
    expect(checkFiles([exe], images, 0).refusals, 'English by default').to.deep.equal(["“a.exe” can't be attached: only PNG, text files are accepted."]);
    expect(LANGUAGES.es.fileSize(1536)).to.equal('1,5 kB');
    expect(LANGUAGES.en.fileSize(1536)).to.equal('1.5 KB');
    expect(LANGUAGES.ko.waitSeconds(12)).to.equal('12초');
  });

  describe('resolution', () => {
    it('takes the element\'s lang first, then the closest ancestor\'s, then the browser\'s, then English', async () => {
      const restore = browserLanguages(['ja-JP', 'en']);
      try {
        const session = await peerSession();
        const own = await mount(session, (server) => html`<div lang="ko"><agent-chat mode="inline" lang="es" server=${server} style="height: 480px"></agent-chat></div>`);
        expect(input(own).placeholder, 'own lang').to.equal(SPOT.es.placeholder);
        const page = await mount(await peerSession(), (server) => html`<div lang="ko"><agent-chat mode="inline" server=${server} style="height: 480px"></agent-chat></div>`);
        expect(input(page).placeholder, 'ancestor lang').to.equal(SPOT.ko.placeholder);
        document.documentElement.lang = 'ar';
        const doc = await mount(await peerSession());
        expect(input(doc).placeholder, 'document lang').to.equal(SPOT.ar.placeholder);
        document.documentElement.lang = 'de'; // a language the widget does not speak: the browser's next
        const browser = await mount(await peerSession());
        expect(input(browser).placeholder, 'navigator.languages').to.equal(SPOT.ja.placeholder);
        restore();
        browserLanguages(['de-DE', 'fr']);
        const fallback = await mount(await peerSession());
        expect(input(fallback).placeholder, 'nothing spoken: English').to.equal(SPOT.en.placeholder);
      } finally {
        restore();
      }
    });

    it('matches by the primary subtag: es-MX is Spanish, ja_JP and KO are too', async () => {
      const el = await mount(await peerSession(), (server) => html`<agent-chat mode="inline" lang="es-MX" server=${server} style="height: 480px"></agent-chat>`);
      expect(part(el, 'send-button')!.getAttribute('aria-label')).to.equal('Enviar');
      el.setAttribute('lang', 'KO');
      await el.updateComplete;
      expect(part(el, 'send-button')!.getAttribute('aria-label')).to.equal('보내기');
    });

    it('an unknown lang falls back (page, browser, English) and warns once', async () => {
      const log = warnings();
      const restore = browserLanguages(['en-US']);
      try {
        const el = await mount(await peerSession(), (server) => html`<agent-chat mode="inline" lang="xx-nope" server=${server} style="height: 480px"></agent-chat>`);
        expect(input(el).placeholder).to.equal(SPOT.en.placeholder);
        el.setAttribute('lang', 'zz');
        await el.updateComplete;
        el.requestUpdate();
        await el.updateComplete;
        const about = log.messages.filter((m) => m.includes('lang='));
        expect(about).to.have.length(1);
        expect(about[0]).to.contain('lang="xx-nope" is not a language the widget speaks (en, es, ko, ja, ar)');
        document.documentElement.lang = 'ja'; // the widget watches <html lang>
        await waitUntil(() => input(el).placeholder === SPOT.ja.placeholder, "the page's language is the next choice", wait);
      } finally {
        restore();
        log.restore();
      }
    });

    it('changing lang at run time re-renders in the new language and direction', async () => {
      const el = await mount(await peerSession());
      await send(el, 'hello');
      await waitUntil(() => el.viewModel.activeRunId === null && parts(el, 'assistant-message').length === 1, 'no reply', wait);
      expect(text(part(el, 'user-message')!.querySelector('.sr-only'))).to.equal('You said:');
      el.lang = 'ja'; // the property reflects to the attribute
      await el.updateComplete;
      expect(text(part(el, 'user-message')!.querySelector('.sr-only'))).to.equal('あなた：');
      expect(text(part(el, 'status'))).to.contain('オンライン');
      el.setAttribute('lang', 'ar');
      await el.updateComplete;
      expect(part(el, 'panel')!.dir).to.equal('rtl');
      expect(part(el, 'new-conversation-button')!.getAttribute('aria-label')).to.equal('محادثة جديدة');
      el.removeAttribute('lang');
      await el.updateComplete;
      expect(part(el, 'panel')!.dir).to.equal('ltr');
      expect(part(el, 'new-conversation-button')!.getAttribute('aria-label')).to.equal('New conversation');
    });
  });

  describe('site-owner texts', () => {
    it('strings replaces one text and leaves the others; functions too; a bad key warns once and is ignored', async () => {
      const log = warnings();
      try {
        const session = await peerSession();
        const el = await mount(session, (server) => html`<agent-chat mode="inline" lang="es" server=${server} style="height: 480px"></agent-chat>`);
        el.strings = { send: 'Mandar', tooQuick: (wait: string) => `Espera ${wait}, por favor.` };
        await el.updateComplete;
        expect(part(el, 'send-button')!.getAttribute('aria-label')).to.equal('Mandar');
        expect(input(el).placeholder, 'other texts stay').to.equal(SPOT.es.placeholder);
        expect(part(el, 'menu-button')!.getAttribute('aria-label')).to.equal(SPOT.es.options);
        await session.refuse({ on: 'message.send', code: 'rate_limited', message: 'messages_per_minute exceeded', retryAfterMs: 1500 });
        await send(el, 'hello');
        await waitUntil(() => part(el, 'limit-notice'), 'no wait notice', wait);
        expect(text(part(el, 'limit-notice')!.querySelector('.sr-only'))).to.equal('Espera 2 s, por favor.');
        await waitUntil(() => part(el, 'limit-notice') === null && el.viewModel.activeRunId === null, 'the wait never ended', wait);
        el.strings = { send: 'Go', nope: 'x', cancel: 42 } as never;
        await el.updateComplete;
        expect(part(el, 'send-button')!.getAttribute('aria-label'), 'the good key still applies').to.equal('Go');
        el.strings = { retry: 5 } as never; // another mistake: no second warning
        await el.updateComplete;
        expect(part(el, 'send-button')!.getAttribute('aria-label')).to.equal('Enviar');
        const about = log.messages.filter((m) => m.includes('strings'));
        expect(about).to.have.length(1);
        expect(about[0]).to.contain('"nope"').and.contain('"cancel"');
        el.strings = null;
        await el.updateComplete;
        expect(input(el).placeholder).to.equal(SPOT.es.placeholder);
      } finally {
        log.restore();
      }
    });

    it('title, subtitle, greeting and placeholder react at run time; the empty slot still wins', async () => {
      const el = await mount(await peerSession());
      expect(text(part(el, 'title'))).to.equal('Support desk');
      expect(part(el, 'subtitle')).to.equal(null);
      el.setAttribute('title', 'Northwind help');
      el.setAttribute('subtitle', 'We answer in minutes');
      el.setAttribute('greeting', 'Hi! Ask us anything.');
      el.setAttribute('placeholder', 'Your question…');
      await el.updateComplete;
      expect(text(part(el, 'title'))).to.equal('Northwind help');
      expect(text(part(el, 'subtitle'))).to.equal('We answer in minutes');
      expect(greeting(el)).to.equal('Hi! Ask us anything.');
      expect(input(el).placeholder).to.equal('Your question…');
      el.title = 'Northwind'; // the global property reflects to the attribute
      el.subtitle = '';
      await el.updateComplete;
      expect(text(part(el, 'title'))).to.equal('Northwind');
      expect(part(el, 'subtitle')).to.equal(null);
      el.removeAttribute('title');
      el.removeAttribute('greeting');
      el.removeAttribute('placeholder');
      await el.updateComplete;
      expect(text(part(el, 'title'))).to.equal('Support desk');
      expect(greeting(el)).to.equal(SPOT.en.greeting);
      expect(input(el).placeholder).to.equal(SPOT.en.placeholder);
      const slotted = document.createElement('p');
      slotted.slot = 'empty';
      slotted.textContent = 'Slotted hello';
      el.append(slotted);
      el.setAttribute('greeting', 'Not shown');
      await el.updateComplete;
      const slot = el.shadowRoot!.querySelector<HTMLSlotElement>('slot[name="empty"]')!;
      expect(slot.assignedElements()).to.deep.equal([slotted]);
      expect(slotted.getBoundingClientRect().height).to.be.greaterThan(0);
    });

    it('launcher-label names the launcher (and its tooltip) at run time', async () => {
      const el = await fixture<AgentChat>(html`<agent-chat server="ws://127.0.0.1:9" launcher-label="Ask Northwind"></agent-chat>`);
      const launcher = part(el, 'launcher')!;
      expect(launcher.getAttribute('aria-label')).to.equal('Ask Northwind');
      expect(launcher.title).to.equal('Ask Northwind');
      el.launcherLabel = 'Questions?';
      await el.updateComplete;
      expect(launcher.getAttribute('aria-label')).to.equal('Questions?');
      el.removeAttribute('launcher-label');
      el.lang = 'ko';
      await el.updateComplete;
      expect(launcher.getAttribute('aria-label')).to.equal('채팅 열기');
    });

    it('an over-long text falls back to the default and warns once per attribute', async () => {
      const log = warnings();
      try {
        const el = await mount(await peerSession());
        el.setAttribute('title', 'x'.repeat(201));
        el.setAttribute('greeting', 'y'.repeat(501));
        await el.updateComplete;
        expect(text(part(el, 'title'))).to.equal('Support desk');
        expect(greeting(el)).to.equal(SPOT.en.greeting);
        el.setAttribute('title', 'z'.repeat(300));
        await el.updateComplete;
        el.requestUpdate();
        await el.updateComplete;
        expect(log.messages.filter((m) => m.includes('title is'))).to.have.length(1);
        expect(log.messages.filter((m) => m.includes('greeting is'))).to.have.length(1);
        expect(log.messages.find((m) => m.includes('title is'))).to.contain('at most 200').and.contain('showing the default');
        el.setAttribute('title', 'Fine now');
        await el.updateComplete;
        expect(text(part(el, 'title'))).to.equal('Fine now');
      } finally {
        log.restore();
      }
    });
  });
});
