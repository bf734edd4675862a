import type { AdminPreviewTicket } from '@agent-chat/shared';
import { css, html, LitElement, nothing, type PropertyValues } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { keyed } from 'lit/directives/keyed.js';
import type { AdminClient } from '../admin-client.ts';
import { baseStyles } from '../console.styles.ts';
import { failureMessage } from './view-errors.ts';

/** The widget bundle is loaded once per page, from the chat server, as sites load it. */
const widgetLoads = new Map<string, Promise<unknown>>();

function loadWidget(server: URL): Promise<unknown> {
  const url = new URL('widget.js', server).href;
  let loading = widgetLoads.get(url);
  if (!loading) {
    // A URL known only at run time: the bundler leaves it alone, the browser fetches it.
    loading = import(/* @vite-ignore */ url);
    loading.catch(() => widgetLoads.delete(url));
    widgetLoads.set(url, loading);
  }
  return loading;
}

/** The theme the console is forced to (`light`/`dark`), found on a host up the shadow roots; `auto` otherwise. */
function consoleTheme(from: Node): 'light' | 'dark' | 'auto' {
  for (let node: Node | null = from; node; ) {
    const theme = node instanceof Element ? node.getAttribute('theme') : null;
    if (theme === 'light' || theme === 'dark') return theme;
    const root = node.getRootNode();
    node = node.parentNode ?? (root instanceof ShadowRoot ? root.host : null);
  }
  return 'auto';
}

/**
 * The live preview chat of a workflow: the real `<agent-chat>` (the server's own widget.js)
 * with a preview ticket from `POST /v1/admin/preview` as its public key. The ticket lets it run
 * this workflow only, as the key's site, under a preview owner the conversation list leaves out;
 * it opens sockets for 15 minutes (an open chat goes on), and **Restart** asks for a new one.
 */
@customElement('console-workflow-preview')
export class WorkflowPreview extends LitElement {
  static override styles = [
    baseStyles,
    css`
      agent-chat {
        display: block;
        height: 32rem;
        border: 1px solid var(--border);
        border-radius: 8px;
        overflow: hidden;
      }
      .bar {
        display: flex;
        gap: 0.8em;
        align-items: center;
        margin-bottom: 0.5em;
        flex-wrap: wrap;
      }
    `,
  ];

  @property({ attribute: false }) client!: AdminClient;
  @property({ attribute: false }) workflowId = '';
  @state() private ticket: AdminPreviewTicket | undefined;
  @state() private error = '';
  /** Changes with each new ticket, so the widget is made anew (a fresh conversation). */
  @state() private round = 0;

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('workflowId') && this.workflowId) void this.#start();
  }

  async #start(): Promise<void> {
    const workflow = this.workflowId;
    this.ticket = undefined;
    this.error = '';
    try {
      const [ticket] = await Promise.all([this.client.preview(workflow), loadWidget(this.client.chatServer)]);
      if (workflow !== this.workflowId) return; // another workflow was picked meanwhile
      this.ticket = ticket;
      this.round++;
    } catch (error) {
      this.error = failureMessage(this, error) || 'The preview could not start.';
    }
  }

  override render() {
    const { ticket } = this;
    return html`
      <div class="bar">
        <span class="muted">${ticket ? html`Runs as ${ticket.site ? html`site <strong>${ticket.site}</strong>` : 'no site'}; kept out of the conversation list (tick “Only the console’s preview chats” there to see them).` : nothing}</span>
        <button type="button" class="secondary" @click=${() => void this.#start()} ?disabled=${!ticket && !this.error}>Restart preview</button>
      </div>
      ${this.error
        ? html`<p class="error-box" role="alert">${this.error}</p>`
        : ticket
          ? keyed(
              this.round,
              html`<agent-chat
                mode="inline"
                .server=${this.client.chatServer.href}
                .workflow=${ticket.workflow}
                .publicKey=${ticket.ticket}
                theme=${consoleTheme(this)}
                subtitle="Preview"
                greeting=${`Preview of the workflow ${ticket.workflow}. Messages here run it for real, on this server.`}
              ></agent-chat>`,
            )
          : html`<p role="status">Starting the preview…</p>`}
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'console-workflow-preview': WorkflowPreview;
  }
}
