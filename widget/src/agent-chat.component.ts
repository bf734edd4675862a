import { html, LitElement, nothing, type PropertyValues } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import { styleMap } from 'lit/directives/style-map.js';
import styles from './agent-chat.styles.ts';
import contentStyles from './views/content.styles.ts';
import featureStyles from './views/features.styles.ts';
import { ChatController, type ChatControllerOptions } from './connection/chat-controller.ts';
import { defaultServer } from './connection/server-url.ts';
import { emit } from './events.ts';
import type { UiStrings } from './i18n/en.ts';
import { direction, LANGUAGES, localeFor, pageLanguage, resolveLanguage, type Language } from './i18n/languages.ts';
import { applyOverrides, type UiStringsOverride } from './i18n/overrides.ts';
import { checkText, type TextAttribute } from './i18n/text-attributes.ts';
import type { Attachment } from '@agent-chat/shared';
import { acceptAttribute, uploadsEnabled } from './state/attachments.ts';
import { canSend, canSendDraft } from './state/view-model.ts';
import { dropOverlay } from './views/attachments.ts';
import { composer } from './views/composer.ts';
import { deleteConfirmation, type DeleteChoice } from './views/conversation-menu.ts';
import { header } from './views/header.ts';
import { jumpButton } from './views/jump-button.ts';
import { chatIcon, closeIcon } from './views/icons.ts';
import { messageList } from './views/message-list.ts';
import { ScrollAnchor } from './views/scroll-anchor.ts';
import { statusLine } from './views/status-line.ts';
import { threadListView } from './views/thread-list.ts';
import {
  AttributeWarnings,
  parseDensity,
  parseFont,
  parsePosition,
  parseRadius,
  parseStarters,
  type AgentChatDensity,
  type AgentChatPosition,
  type Checked,
} from './state/look-attributes.ts';
import type { ViewContext } from './views/view-context.ts';

/** Colour scheme: `auto` follows the visitor's `prefers-color-scheme`. */
export type AgentChatTheme = 'light' | 'dark' | 'auto';
/** `launcher`: a floating button that opens the chat panel. `inline`: the panel fills the element. */
export type AgentChatMode = 'launcher' | 'inline';

export type { AgentChatDensity, AgentChatPosition } from './state/look-attributes.ts';

/** The element a `#focusNext` name stands for: a part, or one of a few named places. */
function focusSelector(next: string, name: string): string {
  if (next.startsWith('thread-delete=')) return `[data-thread="${CSS.escape(next.slice('thread-delete='.length))}"] [part~="thread-delete-button"]`;
  if (name === 'thread-list-heading') return '#threads-heading';
  if (name === 'feedback-comment') return '[part~="feedback-comment"] textarea';
  return `[part~="${name}"]`;
}

let instances = 0;

/**
 * A streaming AI agent chat, connected to an agent-chat server over WebSocket.
 *
 * @summary `<agent-chat workflow="support">` — a floating support chat (or an inline panel).
 *
 * In `launcher` mode (the default) the element is a round button fixed to the bottom-right
 * corner of the page that opens a chat panel (full screen below 480px wide); it connects the
 * first time it is opened. In `inline` mode it renders the panel in place, filling the element
 * (give the element or its container a height), and connects at once.
 *
 * The visitor's anonymous `visitorToken` and the thread per workflow are kept in localStorage,
 * keyed by server, so a reload shows the same conversation. Attributes: `server`, `workflow`,
 * `theme`, `accent`, `mode`, `open`, `public-key`, `user-token`, `starters`, `position`, `radius`,
 * `density`, `font`, `history`, `feedback`, and for the words: `lang` (`en`, `es`, `ko`, `ja`,
 * `ar`; else the page's `lang`, else the browser's languages, else English), `title`,
 * `subtitle`, `greeting`, `placeholder`, `launcher-label`; the `strings` property replaces any
 * text. A value it cannot use falls back to the default and warns once.
 *
 * @slot empty - What the empty conversation shows (default: the `greeting`, "How can we help you today?").
 *
 * @event agent-chat-ready - A thread is open and the visitor can type. Detail: `{ threadId, workflow }`. Fires again only when the thread changes (new conversation).
 * @event agent-chat-message - A user or assistant message reached its final state (live, not for loaded history). Detail: `{ threadId, item }`.
 * @event agent-chat-error - The server refused a request, a run failed, or the connection failed for good (`connection_failed`: the server could not be reached; the message names the URL tried). Detail: `{ code, message }`.
 * @event agent-chat-connection - The connection status changed. Detail: `{ status }`: `idle | connecting | connected | reconnecting | failed`.
 * @event agent-chat-toggle - The launcher panel opened or closed. Detail: `{ open }`.
 * @event agent-chat-thread-deleted - The visitor deleted the conversation or all of them; a new, empty one follows. Detail: `{ threadId?, all, count? }`.
 * @event agent-chat-upload - A file the visitor attached was uploaded; it leaves with the next message. Detail: `{ attachment: { id, name, mime, size } }`. A refused upload fires `agent-chat-error` with the server's code and message.
 *
 * @csspart base - The wrapper around everything; carries the private variables.
 * @csspart launcher - The floating button (launcher mode).
 * @csspart panel - The chat panel.
 * @csspart header - The panel header; `title`, `status`, `new-conversation-button`, `menu-button`, `close-button` inside it.
 * @csspart title - The `title`, else the workflow name.
 * @csspart subtitle - The `subtitle` under the title (only when set).
 * @csspart status - Connection status and the agent answering.
 * @csspart new-conversation-button - Starts a new thread.
 * @csspart menu-button - Opens the conversation options menu.
 * @csspart menu - The conversation options menu (`role="menu"`).
 * @csspart menu-item - "Delete this conversation", "Delete all my conversations".
 * @csspart confirm - The inline confirmation of a deletion; `confirm-button` and `cancel-button` inside it.
 * @csspart confirm-button - Confirms the deletion.
 * @csspart cancel-button - Cancels the deletion.
 * @csspart close-button - Closes the panel (launcher mode).
 * @csspart messages - The scrolling conversation (`role="log"`).
 * @csspart jump-button - "Jump to latest", over the bottom of the conversation while the visitor has scrolled up.
 * @csspart earlier-button - "Show earlier messages", when older messages exist.
 * @csspart message - Every user and assistant message; also `user-message` / `assistant-message`.
 * @csspart user-message - A message the visitor sent.
 * @csspart assistant-message - A reply from an agent.
 * @csspart notice - Handoff, guardrail and wait notices; also `handoff` / `guardrail` / `limit-notice`.
 * @csspart limit-notice - "You're sending messages too quickly…" with a countdown, or the server's limit message.
 * @csspart handoff - "Triage → Billing".
 * @csspart guardrail - A guardrail's message to the visitor.
 * @csspart tool-call - A tool call (collapsible details).
 * @csspart approval - A tool call waiting for Approve / Deny.
 * @csspart approve-button - Approves a tool call.
 * @csspart deny-button - Denies a tool call.
 * @csspart typing - "… is typing" while a run works.
 * @csspart status-line - What is going on or what went wrong.
 * @csspart connection-error - In the conversation, after the server could not be reached several times in a row: a message and `retry-button`.
 * @csspart retry-button - Tries to connect again after `connection-error`.
 * @csspart composer - The form with the text box, the attach button and Send / Stop.
 * @csspart attach-button - Opens the file picker (when the server takes files).
 * @csspart attachment-chip - A file chosen for the next message: thumbnail or icon, name, size, progress, error.
 * @csspart upload-progress - The `<progress>` of an upload in flight.
 * @csspart upload-retry-button - Uploads a failed file again.
 * @csspart remove-attachment-button - Removes a chosen file (aborting its upload).
 * @csspart attach-notice - Why chosen files were left out (too large, a type not accepted, too many).
 * @csspart drop-overlay - "Drop files to attach", over the panel while files are dragged over it.
 * @csspart attachment-thumbnail - A sent image; opens it full size.
 * @csspart attachment - A sent file other than an image; downloads it.
 * @csspart lightbox - The full-size image (a modal `<dialog>`); `lightbox-close-button` inside it.
 * @csspart lightbox-close-button - Closes the full-size image.
 * @csspart input - The text box.
 * @csspart send-button - Sends the message.
 * @csspart stop-button - Stops the active run.
 * @csspart starter - A suggested first message (the `starters` attribute) on an empty conversation.
 * @csspart unread - The dot on the launcher when a reply finished while the panel was closed.
 * @csspart timestamp - A message's `<time>`, shown on hover and keyboard focus.
 * @csspart run-retry-button - In the status line after a failed reply: runs it again.
 * @csspart feedback - Thumbs up / down under a finished answer (`feedback` attribute).
 * @csspart feedback-button - Thumbs up or down (`aria-pressed`, `data-rating`).
 * @csspart feedback-comment - The optional comment form after thumbs down; `feedback-send-button`, `feedback-skip-button` inside.
 * @csspart feedback-send-button - Sends the comment.
 * @csspart feedback-skip-button - Closes the comment form.
 * @csspart history-button - Opens the conversation list (`history` attribute).
 * @csspart thread-list - The visitor's conversations; `thread`, `thread-delete-button`, `thread-new-button`, `back-button` inside.
 * @csspart thread - Opens one conversation (`aria-current` on the open one).
 * @csspart thread-delete-button - Deletes one conversation, after a confirmation.
 * @csspart thread-new-button - "New chat".
 * @csspart back-button - Back from the list to the conversation.
 *
 * @cssproperty --agent-chat-accent - Brand colour: launcher, header, user bubbles, buttons (default #2563eb). The `accent` attribute overrides it.
 * @cssproperty --agent-chat-accent-text - Text on the accent colour (default #fff).
 * @cssproperty --agent-chat-background - Panel background.
 * @cssproperty --agent-chat-surface - Assistant bubbles, notices.
 * @cssproperty --agent-chat-text - Main text colour.
 * @cssproperty --agent-chat-muted - Secondary text.
 * @cssproperty --agent-chat-border - Borders and separators.
 * @cssproperty --agent-chat-danger - Errors, guardrails, Deny.
 * @cssproperty --agent-chat-success - Completed tool calls.
 * @cssproperty --agent-chat-code-background - Code blocks and tool output.
 * @cssproperty --agent-chat-user-background - The visitor's bubbles (default: the accent).
 * @cssproperty --agent-chat-user-text - Text in the visitor's bubbles.
 * @cssproperty --agent-chat-font - Font family (default: system UI).
 * @cssproperty --agent-chat-font-size - Base font size (default 15px).
 * @cssproperty --agent-chat-radius - Panel and bubble corner radius (default 14px).
 * @cssproperty --agent-chat-shadow - Panel and launcher shadow.
 * @cssproperty --agent-chat-width - Panel width in launcher mode (default 380px).
 * @cssproperty --agent-chat-height - Panel height (launcher: min(640px, 100vh - 120px); inline: 100%).
 * @cssproperty --agent-chat-offset - Launcher distance from the window corner (default 20px).
 * @cssproperty --agent-chat-z-index - Stacking order of the launcher (default 2147483000).
 */
export class AgentChat extends LitElement {
  static override styles = [styles, contentStyles, featureStyles];

  /** @internal Connection tuning for elements created from now on (tests: a fast backoff). */
  static connectionOptions: ChatControllerOptions = {};

  #chat = new ChatController(this, AgentChat.connectionOptions, () => this.#strings());
  #scroll = new ScrollAnchor(this, () => this.messages);
  #id = `agent-chat-${++instances}`;
  /** "Show earlier messages" was used: once it goes away, keep focus in the conversation. */
  #keepFocusAfterEarlier = false;

  /**
   * Base URL of the agent-chat server; the socket is `${server}/v1/ws`. Default: the directory
   * that served widget.js (`https://shop.example/chat/widget.js` → `https://shop.example/chat/`).
   */
  @property() server: string = defaultServer();

  /** Workflow id on the server. */
  @property() workflow = 'support';

  /** The site's public key, when the server is configured with sites (allowed origins and workflows). */
  @property({ attribute: 'public-key' }) publicKey = '';

  /**
   * A signed user identity (JWT from the host site's backend): the conversation then belongs to
   * that user on any device. Without it the visitor is anonymous. Prefer setting the property.
   */
  @property({ attribute: 'user-token' }) userToken = '';

  /** `light`, `dark`, or `auto` (follows the visitor's system setting). */
  @property({ reflect: true }) theme: AgentChatTheme = 'auto';

  /** A CSS colour for the accent; overrides `--agent-chat-accent`. Invalid colours are ignored. */
  @property() accent = '';

  /** `launcher` (floating button + panel) or `inline` (the panel in place). */
  @property({ reflect: true }) mode: AgentChatMode = 'launcher';

  /** Whether the launcher panel is open (launcher mode only). */
  @property({ type: Boolean, reflect: true }) open = false;

  /** Suggested first messages, a JSON array of strings (at most 6), shown as buttons on an empty conversation. */
  @property() starters: string | readonly string[] = '';

  /** `bottom-right` (default) or `bottom-left`: the corner of the launcher and its panel. */
  @property({ reflect: true }) position: AgentChatPosition = 'bottom-right';

  /** Corner radius, a CSS length (`0`, `4px`); overrides `--agent-chat-radius`. */
  @property() radius = '';

  /** `comfortable` (default) or `compact` spacing. */
  @property({ reflect: true }) density: AgentChatDensity = 'comfortable';

  /** A CSS font-family list; overrides `--agent-chat-font`. */
  @property() font = '';

  /** Shows the thread list button: the visitor's earlier conversations, to open or delete. */
  @property({ type: Boolean }) history = false;

  /** Shows thumbs up / down (and an optional comment) under each finished answer. */
  @property({ type: Boolean }) feedback = false;

  /** A line under the title in the header. */
  @property() subtitle = '';

  /** What the empty conversation says (default "How can we help you today?"); the `empty` slot wins over it. */
  @property() greeting = '';

  /** The text box's placeholder while the visitor can type (default "Type a message…"). */
  @property() placeholder = '';

  /** The launcher button's accessible name and tooltip (default "Open chat"). */
  @property({ attribute: 'launcher-label' }) launcherLabel = '';

  /**
   * Replacements for any of the widget's texts, in the resolved language: the same keys and
   * kinds as the built-in tables (texts with values are functions), e.g.
   * `{ greeting: 'Hi! Ask us anything.', typing: (name) => `${name} is thinking…` }`.
   */
  @property({ attribute: false }) strings: UiStringsOverride | null = null;

  /** `lang` and `title` are the element's global attributes: watched here, read from the attribute. */
  static override get observedAttributes(): string[] {
    return [...super.observedAttributes, 'lang', 'title'];
  }

  override attributeChangedCallback(name: string, old: string | null, value: string | null): void {
    super.attributeChangedCallback(name, old, value);
    if (name === 'lang' || name === 'title') this.requestUpdate();
  }

  /** The page's `<html lang>` changing redraws the widget (it decides when the element has no `lang` of its own). */
  #pageLanguage = new MutationObserver(() => this.requestUpdate());

  override connectedCallback(): void {
    super.connectedCallback();
    this.#pageLanguage.observe(this.ownerDocument.documentElement, { attributes: true, attributeFilter: ['lang'] });
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#pageLanguage.disconnect();
  }

  /** Attributes already warned about: each one warns once per element. */
  #warned = new Set<string>();
  #table: { language: Language; overrides: UiStringsOverride | null; t: UiStrings } | null = null;
  #language: Language = 'en';

  @state() private denying: string | null = null;
  @state() private hasDraft = false;
  @state() private menuOpen = false;
  @state() private confirming: DeleteChoice | null = null;
  /** Files are being dragged over the panel: the drop overlay shows. */
  @state() private dragging = false;
  /** The sent image shown full size. */
  @state() private lightbox: { name: string; url: string } | null = null;
  /** The thread list shows instead of the conversation. */
  @state() private threadsOpen = false;
  /** A thread of the list whose deletion waits for confirmation. */
  @state() private confirmingThread: string | null = null;
  /** The answer whose feedback comment box is open. */
  @state() private commenting: string | null = null;
  /** Answers that finished while the launcher was closed. */
  @state() private unread = 0;
  #warnings = new AttributeWarnings();
  #look = { starters: [] as string[], radius: undefined as string | undefined, font: undefined as string | undefined, compact: false, left: false };
  /** Where focus goes after the next render (a part name), for the menu and its confirmation. */
  #focusNext: string | null = null;
  /** dragenter/dragleave pairs of the panel's children, so the overlay stays until the pointer leaves the panel. */
  #dragDepth = 0;

  @query('[part~="messages"]') private messages?: HTMLElement;
  @query('[part~="input"]') private input?: HTMLTextAreaElement;
  @query('[part~="launcher"]') private launcher?: HTMLButtonElement;
  @query('[part~="lightbox"]') private lightboxDialog?: HTMLDialogElement;

  constructor() {
    super();
    // A reply that finished while the launcher panel was closed: the launcher shows a dot.
    this.addEventListener('agent-chat-message', (event) => {
      if (this.mode === 'launcher' && !this.open && event.detail.item.type === 'assistant_message') this.unread += 1;
    });
  }

  /** The current view model (read-only snapshot; useful for tests and debugging). */
  get viewModel() {
    return this.#chat.vm;
  }

  #handleInput = (event: InputEvent) => {
    const hasDraft = (event.target as HTMLTextAreaElement).value.trim() !== '';
    if (hasDraft !== this.hasDraft) this.hasDraft = hasDraft;
  };

  #handleSubmit = () => {
    const input = this.input;
    if (!input || !this.#chat.send(input.value)) return;
    input.value = '';
    this.hasDraft = false;
    this.#scroll.stick();
  };

  #handleKeydown = (event: KeyboardEvent) => {
    // Escape in the full-size image closes only the image (the dialog does that itself).
    if (event.key === 'Escape' && this.mode === 'launcher' && this.open && !this.lightbox) {
      event.stopPropagation();
      this.hide();
      this.launcher?.focus();
    }
  };

  /** Whether dragged data carries files the widget could take. */
  #draggingFiles(event: DragEvent): boolean {
    return uploadsEnabled(this.#chat.vm.limits) && !!event.dataTransfer?.types.includes('Files');
  }

  #handleDragEnter = (event: DragEvent) => {
    if (!this.#draggingFiles(event)) return;
    event.preventDefault();
    this.#dragDepth++;
    this.dragging = true;
  };

  #handleDragOver = (event: DragEvent) => {
    if (!this.#draggingFiles(event)) return;
    event.preventDefault(); // allows the drop
    event.dataTransfer!.dropEffect = 'copy';
  };

  #handleDragLeave = () => {
    if (this.#dragDepth > 0 && --this.#dragDepth === 0) this.dragging = false;
  };

  #handleDrop = (event: DragEvent) => {
    this.#dragDepth = 0;
    this.dragging = false;
    if (!this.#draggingFiles(event)) return;
    event.preventDefault(); // the browser would otherwise open the file
    this.#chat.uploads.choose([...(event.dataTransfer?.files ?? [])]);
  };

  /** The jump button goes away once used: focus stays in the conversation. */
  #jumpToLatest = () => {
    this.#scroll.jumpToLatest();
    this.messages?.focus({ preventScroll: true });
  };

  #openImage = (attachment: Attachment) => {
    const url = this.#chat.uploads.imageUrl(attachment);
    if (url) this.lightbox = { name: attachment.name, url };
  };

  #warn(attribute: string, message: string): void {
    if (this.#warned.has(attribute)) return;
    this.#warned.add(attribute);
    console.warn(`<agent-chat>: ${message}`);
  }

  /** The language in effect (own `lang`, the page's, the browser's, English); warns once about an own `lang` it does not speak. */
  #resolveLanguage(): Language {
    const { language, rejected } = resolveLanguage(this.getAttribute('lang'), this);
    if (rejected) this.#warn('lang', `lang="${rejected}" is not a language the widget speaks (${Object.keys(LANGUAGES).join(', ')}); showing ${language}.`);
    return (this.#language = language);
  }

  /** The locale for dates and numbers in `language`: with the region of the element's, the page's or the browser's tag. */
  #locale(language: Language): string {
    const browser = navigator.languages?.length ? navigator.languages : [navigator.language];
    return localeFor(language, [this.getAttribute('lang'), pageLanguage(this), ...browser]);
  }

  /** The texts in the language last resolved, with the `strings` replacements (kept while neither changes). */
  #strings(): UiStrings {
    const language = this.#language;
    const overrides = this.strings;
    if (this.#table?.language !== language || this.#table.overrides !== overrides) {
      const t = applyOverrides(LANGUAGES[language], overrides, (message) => this.#warn('strings', message));
      this.#table = { language, overrides, t };
    }
    return this.#table.t;
  }

  /** A text attribute's value, or undefined for the default (warning once when the value cannot be used). */
  #text(name: TextAttribute, value: string | null): string | undefined {
    const { text, problem } = checkText(name, value);
    if (problem) this.#warn(name, `${problem}; showing the default.`);
    return text;
  }

  #context(t: UiStrings, lang: string): ViewContext {
    return {
      vm: this.#chat.vm,
      t,
      lang,
      greeting: this.#text('greeting', this.greeting),
      denying: this.denying,
      onApprove: (callId) => this.#chat.answerApproval(callId, true),
      onDenyStart: (callId) => (this.denying = callId),
      onDenyConfirm: (callId, reason) => {
        this.#chat.answerApproval(callId, false, reason);
        this.denying = null;
      },
      onDenyCancel: () => (this.denying = null),
      onRetry: (id) => this.#chat.retry(id),
      onLoadEarlier: () => {
        this.#keepFocusAfterEarlier = true;
        this.#chat.loadEarlier();
      },
      onReconnect: () => {
        // Retry disappears as the widget reconnects: keep a keyboard user in the conversation.
        this.#focusNext = 'messages';
        this.#chat.reconnect();
      },
      attachments: {
        imageUrl: (attachment) => this.#chat.uploads.imageUrl(attachment),
        onOpenImage: this.#openImage,
        onDownload: (attachment) => void this.#chat.uploads.download(attachment),
      },
      idPrefix: this.#id,
      starters: this.#look.starters,
      onStarter: (prompt) => {
        if (this.send(prompt)) this.#focusNext = 'input';
      },
      ...(this.feedback
        ? {
            feedback: {
              commenting: this.commenting,
              onRate: (itemId: string, rating: 'up' | 'down') => {
                if (!this.#chat.rate(itemId, rating)) return;
                this.commenting = rating === 'down' ? itemId : null;
                if (rating === 'down') this.#focusNext = 'feedback-comment';
              },
              onComment: (itemId: string, comment: string) => {
                if (comment.trim() && !this.#chat.rate(itemId, 'down', comment)) return;
                this.commenting = null;
              },
              onCloseComment: () => (this.commenting = null),
            },
          }
        : {}),
    };
  }

  /** Checks a look attribute; a bad value warns once and gives the default. */
  #checked<T>(attribute: string, checked: Checked<T>): T {
    if (checked.problem) this.#warnings.warn(attribute, checked.problem);
    return checked.value;
  }

  #showThreads(open: boolean): void {
    this.threadsOpen = open;
    this.confirmingThread = null;
    if (open) {
      this.#chat.listThreads();
      this.#focusNext = 'thread-list-heading';
    } else {
      this.#focusNext = 'history-button';
    }
  }

  /** Opens the launcher panel and focuses the text box. */
  async show(): Promise<void> {
    if (this.open) return;
    this.open = true;
    await this.updateComplete;
    this.input?.focus();
  }

  /** Closes the launcher panel. */
  hide(): void {
    this.open = false;
  }

  /**
   * Sends a message as if the visitor typed it, with the files attached in the composer; false
   * if it cannot be sent now (not connected, nothing to send, or an upload pending or failed).
   */
  send(text: string): boolean {
    const sent = this.#chat.send(text);
    if (sent) this.#scroll.stick();
    return sent;
  }

  /** Deletes the open conversation on the server, then starts a new one; false if it cannot be asked now. */
  deleteConversation(): boolean {
    return this.#chat.deleteThread();
  }

  /** Deletes all the visitor's conversations on the server, then starts a new one; false if it cannot be asked now. */
  deleteAllConversations(): boolean {
    return this.#chat.deleteAllThreads();
  }

  #toggleMenu(open: boolean, focus?: 'first' | 'last' | 'button'): void {
    this.menuOpen = open;
    if (open) this.confirming = null;
    this.#focusNext = focus === 'button' ? 'menu-button' : focus && open ? `menu-item${focus === 'last' ? ':last' : ''}` : null;
  }

  #confirmDelete = () => {
    const asked = this.confirming === 'one' ? this.deleteConversation() : this.deleteAllConversations();
    if (!asked) return;
    this.confirming = null;
    this.#focusNext = 'input';
  };

  /** Starts a new conversation (a new thread). */
  newConversation(): void {
    this.#chat.newConversation();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('starters')) this.#look.starters = this.#checked('starters', parseStarters(this.starters));
    if (changed.has('position')) this.#look.left = this.#checked('position', parsePosition(this.position)) === 'bottom-left';
    if (changed.has('density')) this.#look.compact = this.#checked('density', parseDensity(this.density)) === 'compact';
    if (changed.has('radius')) this.#look.radius = this.#checked('radius', parseRadius(this.radius));
    if (changed.has('font')) this.#look.font = this.#checked('font', parseFont(this.font));
    if (changed.has('open') && this.open) this.unread = 0;
    if (changed.has('history') && !this.history) this.threadsOpen = false;
    if (changed.has('server') || changed.has('workflow') || changed.has('publicKey') || changed.has('userToken')) {
      this.#chat.configure(this.server, this.workflow, { publicKey: this.publicKey || undefined, userToken: this.userToken || undefined });
    }
    if (this.mode === 'inline' || this.open) this.#chat.connect();
  }

  protected override updated(changed: PropertyValues<this>): void {
    if (this.lightbox && this.lightboxDialog && !this.lightboxDialog.open) this.lightboxDialog.showModal();
    if (this.#focusNext) {
      const [name, which] = this.#focusNext.split(':');
      const found = this.shadowRoot!.querySelectorAll<HTMLElement>(focusSelector(this.#focusNext, name!));
      (which ? found[found.length - 1] : found[0])?.focus();
      this.#focusNext = null;
    }
    if (changed.has('open') && changed.get('open') !== undefined) emit(this, 'agent-chat-toggle', { open: this.open });
    // The button that had focus was removed with the last page of history: without this, focus
    // would fall to the page body and a keyboard user would lose their place.
    if (this.#keepFocusAfterEarlier && !this.#chat.vm.hasMore) {
      this.#keepFocusAfterEarlier = false;
      if (!this.shadowRoot?.activeElement) this.messages?.focus({ preventScroll: true });
    }
  }

  override render() {
    const vm = this.#chat.vm;
    const launcher = this.mode === 'launcher';
    const look = {
      ...(this.accent && CSS.supports('color', this.accent) ? { '--agent-chat-accent': this.accent } : {}),
      ...(this.#look.radius !== undefined ? { '--agent-chat-radius': this.#look.radius } : {}),
      ...(this.#look.font !== undefined ? { '--agent-chat-font': this.#look.font } : {}),
    };
    const running = vm.activeRunId !== null;
    const titleId = `${this.#id}-title`;
    const baseClass = `base${this.#look.compact ? ' base--compact' : ''}${this.#look.left ? ' base--left' : ''}`;
    const language = this.#resolveLanguage();
    const t = this.#strings();
    const locale = this.#locale(language);
    const label = this.#text('launcher-label', this.launcherLabel) || t.openChat;
    const launcherLabel = this.open ? t.closeChat : label;
    // title="": the element's own `title` attribute names the header, not a tooltip over the whole widget.
    return html`<div part="base" class=${baseClass} title="" style=${styleMap(look)} @keydown=${this.#handleKeydown}>
      ${launcher
        ? html`<button
            part="launcher"
            class="launcher"
            type="button"
            aria-label=${this.open || this.unread === 0 ? launcherLabel : t.launcherUnread(label, this.unread)}
            title=${launcherLabel}
            aria-expanded=${this.open ? 'true' : 'false'}
            aria-controls="panel"
            @click=${() => (this.open ? this.hide() : this.show())}
          >
            ${this.open ? closeIcon : chatIcon}${this.unread > 0 && !this.open ? html`<span part="unread" class="unread" aria-hidden="true"></span>` : nothing}
          </button>`
        : nothing}
      <section
        part="panel"
        class="panel"
        id="panel"
        role=${launcher ? 'dialog' : 'region'}
        lang=${language}
        dir=${direction(language)}
        aria-labelledby=${titleId}
        ?hidden=${launcher && !this.open}
        @dragenter=${this.#handleDragEnter}
        @dragover=${this.#handleDragOver}
        @dragleave=${this.#handleDragLeave}
        @drop=${this.#handleDrop}
      >
        ${header({
          vm,
          titleId,
          t,
          title: this.#text('title', this.getAttribute('title')),
          subtitle: this.#text('subtitle', this.subtitle),
          closable: launcher,
          onNewConversation: () => this.newConversation(),
          ...(this.history ? { history: { open: this.threadsOpen, onToggle: () => this.#showThreads(!this.threadsOpen) } } : {}),
          onClose: () => {
            this.hide();
            this.launcher?.focus();
          },
          menu: {
            open: this.menuOpen,
            enabled: vm.connection === 'connected',
            canDeleteOne: vm.thread !== null,
            onToggle: (open, focus) => this.#toggleMenu(open, focus),
            onChoose: (choice) => {
              this.menuOpen = false;
              this.confirming = choice;
              this.#focusNext = 'cancel-button';
            },
          },
        })}
        ${this.confirming
          ? deleteConfirmation({
              choice: this.confirming,
              t,
              onConfirm: this.#confirmDelete,
              onCancel: () => {
                this.confirming = null;
                this.#focusNext = 'menu-button';
              },
            })
          : nothing}
        ${this.threadsOpen
          ? threadListView({
              t,
              lang: locale,
              list: vm.threadList,
              workflow: this.workflow,
              currentId: vm.thread?.id ?? null,
              confirming: this.confirmingThread,
              enabled: vm.connection === 'connected',
              onOpen: (threadId) => {
                this.#chat.openThread(threadId);
                this.threadsOpen = false;
                this.#focusNext = 'input';
              },
              onNew: () => {
                this.newConversation();
                this.threadsOpen = false;
                this.#focusNext = 'input';
              },
              onDeleteStart: (threadId) => {
                this.confirmingThread = threadId;
                this.#focusNext = 'cancel-button';
              },
              onDeleteConfirm: (threadId) => {
                if (!this.#chat.deleteThreadById(threadId)) return;
                this.confirmingThread = null;
                this.#focusNext = 'thread-list-heading';
              },
              onDeleteCancel: () => {
                this.#focusNext = `thread-delete=${this.confirmingThread}`;
                this.confirmingThread = null;
              },
              onBack: () => this.#showThreads(false),
            })
          : html`<div class="conversation">${messageList(this.#context(t, locale))}${this.#scroll.away ? jumpButton(this.#jumpToLatest, t) : nothing}</div>`}
        ${statusLine(vm, () => this.#chat.dismissError(), t, () => this.#chat.retryRun())}
        ${composer({
          canSend: canSend(vm),
          ready: canSendDraft(vm, this.hasDraft),
          running,
          stopping: vm.cancelRequested,
          t,
          placeholder:
            vm.connection === 'connected'
              ? this.#text('placeholder', this.placeholder) || t.placeholder
              : vm.connection === 'failed' || vm.error?.code === 'workflow_unavailable'
                ? t.placeholderUnavailable
                : t.placeholderConnecting,
          maxLength: vm.limits?.maxMessageChars,
          onInput: this.#handleInput,
          onSubmit: this.#handleSubmit,
          onStop: () => this.#chat.cancel(),
          attach: uploadsEnabled(vm.limits)
            ? {
                accept: acceptAttribute(vm.limits.acceptedTypes),
                drafts: vm.drafts,
                notice: vm.attachNotice,
                onFiles: (files) => this.#chat.uploads.choose(files),
                onRemove: (key) => {
                  this.#chat.uploads.remove(key);
                  this.#focusNext = 'input';
                },
                onRetry: (key) => this.#chat.uploads.retry(key),
                onDismissNotice: () => this.#chat.dismissAttachNotice(),
              }
            : undefined,
        })}
        ${this.dragging ? dropOverlay(t) : nothing}
        ${this.lightbox
          ? html`<dialog part="lightbox" class="lightbox" aria-label=${this.lightbox.name} @close=${() => (this.lightbox = null)}>
              <img src=${this.lightbox.url} alt=${this.lightbox.name} />
              <form method="dialog"><button part="lightbox-close-button" class="lightbox__close" aria-label=${t.closeImage} title=${t.close}>${closeIcon}</button></form>
            </dialog>`
          : nothing}
      </section>
    </div>`;
  }
}
