import { css, html, LitElement, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { AdminApiError, AdminClient, SignInRequired } from './admin-client.ts';
import { baseStyles, themeStyles } from './console.styles.ts';
import { parseRoute, type Route } from './routes.ts';
import './views/connectors-view.ts';
import './views/conversations-view.ts';
import './views/eval-run-view.ts';
import './views/evals-view.ts';
import './views/trace-view.ts';
import './views/transcript-view.ts';
import './views/usage-view.ts';
import './views/workflows-view.ts';

/** Where the key is kept: this tab only, gone when it closes. */
const KEY_STORAGE = 'agent-chat-console-key';

function storedKey(): string | undefined {
  try {
    return sessionStorage.getItem(KEY_STORAGE) ?? undefined;
  } catch {
    return undefined;
  }
}

/**
 * `<agent-console>`: the admin console. Sign in with the operator's `ADMIN_TOKEN` or a site's
 * admin key (kept in sessionStorage, sent as a bearer token), then Conversations (with each run's
 * trace), Workflows, Connectors, Usage and Evals, by the URL's hash. Everything shown comes from `/v1/admin`.
 */
@customElement('agent-console')
export class AgentConsole extends LitElement {
  static override styles = [
    themeStyles,
    baseStyles,
    css`
      :host {
        min-height: 100vh;
        background: var(--bg);
      }
      header {
        display: flex;
        align-items: center;
        gap: 1.5em;
        padding: 0.6em 1.2em;
        border-bottom: 1px solid var(--border);
        background: var(--surface);
        flex-wrap: wrap;
      }
      header h1 {
        font-size: 1.1rem;
        margin: 0;
      }
      nav ul {
        display: flex;
        gap: 1em;
        list-style: none;
        margin: 0;
        padding: 0;
      }
      nav a[aria-current='page'] {
        font-weight: 700;
        text-decoration-thickness: 3px;
      }
      header .who {
        margin-inline-start: auto;
        display: flex;
        gap: 0.8em;
        align-items: center;
      }
      main {
        padding: 1.2em;
        max-width: 1280px;
        margin: 0 auto;
      }
      form.sign-in {
        max-width: 28em;
        margin: 12vh auto;
        display: flex;
        flex-direction: column;
        gap: 0.9em;
        padding: 1.5em;
        border: 1px solid var(--border);
        border-radius: 10px;
        background: var(--surface);
      }
      form.sign-in label {
        font-size: 0.95rem;
        color: var(--text);
      }
    `,
  ];

  /** `light` or `dark` forces a theme; unset follows the system. */
  @property({ reflect: true }) theme: 'light' | 'dark' | undefined;
  /** Where `/v1/admin/` is (default: next to the page). */
  @property({ attribute: false }) apiBase: URL | undefined;
  /** The chat server the preview widget talks to (default: the one `apiBase` is under). */
  @property({ attribute: false }) chatServer: URL | undefined;

  @state() private client: AdminClient | undefined;
  @state() private route: Route = parseRoute(location.hash);
  @state() private signInError = '';
  @state() private checking = false;

  readonly #onHash = () => {
    this.route = parseRoute(location.hash);
    // A new view: move focus to its heading, so a screen reader says where the visitor is.
    void this.updateComplete.then(() => this.#focusView());
  };

  /** Focuses the current view's heading (`h2[tabindex=-1]`) once the view rendered it. */
  async #focusView(): Promise<void> {
    const view = this.renderRoot.querySelector('main > *') as (HTMLElement & { updateComplete?: Promise<unknown> }) | null;
    await view?.updateComplete;
    (view?.shadowRoot ?? this.renderRoot).querySelector<HTMLElement>('h2[tabindex="-1"]')?.focus();
  }

  override connectedCallback(): void {
    super.connectedCallback();
    window.addEventListener('hashchange', this.#onHash);
    // The console's own page: edge to edge (set through the CSSOM, which its CSP allows).
    if (this.parentElement === document.body && document.body.dataset.consolePage !== undefined) document.body.style.margin = '0';
    const key = storedKey();
    if (key) void this.#signIn(key, false);
  }

  override disconnectedCallback(): void {
    window.removeEventListener('hashchange', this.#onHash);
    super.disconnectedCallback();
  }

  /** Checks the key against the API before keeping it. */
  async #signIn(key: string, announce: boolean): Promise<void> {
    this.checking = true;
    const client = new AdminClient(key, this.apiBase, this.chatServer);
    try {
      await client.workflows();
      try {
        sessionStorage.setItem(KEY_STORAGE, key);
      } catch {
        // Storage refused (private mode): signed in for this page only.
      }
      this.signInError = '';
      this.client = client;
      if (announce) await this.updateComplete.then(() => this.#focusView());
    } catch (error) {
      this.signOut();
      this.signInError = error instanceof SignInRequired ? 'That key is not accepted. Use the ADMIN_TOKEN or your site’s admin key.' : error instanceof AdminApiError ? error.message : 'Signing in failed.';
    } finally {
      this.checking = false;
    }
  }

  /** Forgets the key. */
  signOut(): void {
    try {
      sessionStorage.removeItem(KEY_STORAGE);
    } catch {
      // Nothing was stored.
    }
    this.client = undefined;
  }

  #onSubmit(event: SubmitEvent): void {
    event.preventDefault();
    const input = (event.currentTarget as HTMLFormElement).elements.namedItem('key') as HTMLInputElement;
    const key = input.value.trim();
    if (!key) {
      this.signInError = 'Paste the admin token or a site admin key.';
      return;
    }
    void this.#signIn(key, true);
  }

  /** A view reports that the key stopped working (rotated, removed). */
  #onUnauthorized = () => {
    this.signOut();
    this.signInError = 'The key is no longer accepted. Sign in again.';
  };

  override render() {
    if (!this.client) return this.#renderSignIn();
    const { route } = this;
    const current = (view: string) => (route.view === view || (view === 'conversations' && (route.view === 'transcript' || route.view === 'trace')) ? 'page' : nothing);
    return html`
      <header>
        <h1>agent-chat console</h1>
        <nav aria-label="Console">
          <ul>
            <li><a href="#/conversations" aria-current=${current('conversations')}>Conversations</a></li>
            <li><a href="#/workflows" aria-current=${current('workflows')}>Workflows</a></li>
            <li><a href="#/connectors" aria-current=${current('connectors')}>Connectors</a></li>
            <li><a href="#/usage" aria-current=${current('usage')}>Usage</a></li>
            <li><a href="#/evals" aria-current=${current('evals')}>Evals</a></li>
          </ul>
        </nav>
        <div class="who"><button type="button" class="secondary" @click=${() => this.signOut()}>Sign out</button></div>
      </header>
      <main @unauthorized=${this.#onUnauthorized}>${this.#renderView(this.client, route)}</main>
    `;
  }

  #renderView(client: AdminClient, route: Route) {
    switch (route.view) {
      case 'transcript':
        return html`<console-transcript .client=${client} .threadId=${route.threadId}></console-transcript>`;
      case 'workflows':
        return html`<console-workflows .client=${client} .workflowId=${route.workflowId}></console-workflows>`;
      case 'connectors':
        return html`<console-connectors .client=${client}></console-connectors>`;
      case 'trace':
        return html`<console-trace .client=${client} .threadId=${route.threadId} .runId=${route.runId}></console-trace>`;
      case 'usage':
        return html`<console-usage .client=${client}></console-usage>`;
      case 'evals':
        return route.runId
          ? html`<console-eval-run .client=${client} .runId=${route.runId}></console-eval-run>`
          : html`<console-evals .client=${client}></console-evals>`;
      default:
        return html`<console-conversations .client=${client}></console-conversations>`;
    }
  }

  #renderSignIn() {
    return html`<main>
      <form class="sign-in" @submit=${this.#onSubmit} aria-labelledby="sign-in-title">
        <h1 id="sign-in-title">Sign in to the agent-chat console</h1>
        <p class="muted">Paste the server’s ADMIN_TOKEN (every site) or your site’s admin key (your site only). It is kept in this tab until you sign out or close it.</p>
        <label>Admin token or site admin key
          <input name="key" type="password" autocomplete="off" required aria-describedby=${this.signInError ? 'sign-in-error' : nothing} />
        </label>
        ${this.signInError ? html`<p id="sign-in-error" class="error-box" role="alert">${this.signInError}</p>` : nothing}
        <button type="submit" ?disabled=${this.checking}>${this.checking ? 'Checking…' : 'Sign in'}</button>
      </form>
    </main>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'agent-console': AgentConsole;
  }
}
