import { css } from 'lit';

/**
 * The console's colours as custom properties: light by default, dark when the system asks
 * (prefers-color-scheme) or the host says `theme="dark"`. Every pair meets WCAG AA contrast.
 */
export const themeStyles = css`
  :host {
    --bg: #ffffff;
    --surface: #f4f5f7;
    --text: #1b1d21;
    --muted: #4d5562;
    --border: #c3c8d0;
    --accent: #0b57d0;
    --accent-text: #ffffff;
    --danger: #b3261e;
    --warning: #7a4d00;
    --ok: #1e6b34;
    --badge: #e6ebf5;
    --focus: #0b57d0;
    color-scheme: light;
  }
  :host([theme='dark']) {
    --bg: #15171b;
    --surface: #1f2228;
    --text: #e9ebef;
    --muted: #b4bac5;
    --border: #4a505b;
    --accent: #8ab4f8;
    --accent-text: #0b1a33;
    --danger: #ffb4ab;
    --warning: #f5c46b;
    --ok: #8fd6a0;
    --badge: #2b3340;
    --focus: #8ab4f8;
    color-scheme: dark;
  }
  @media (prefers-color-scheme: dark) {
    :host(:not([theme='light'])) {
      --bg: #15171b;
      --surface: #1f2228;
      --text: #e9ebef;
      --muted: #b4bac5;
      --border: #4a505b;
      --accent: #8ab4f8;
      --accent-text: #0b1a33;
      --danger: #ffb4ab;
      --warning: #f5c46b;
      --ok: #8fd6a0;
      --badge: #2b3340;
      --focus: #8ab4f8;
      color-scheme: dark;
    }
  }
`;

/** What every view shares: type, links, buttons, forms, tables, badges. */
export const baseStyles = css`
  :host {
    display: block;
    color: var(--text);
    font: 15px/1.45 system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif;
  }
  /* A view's facts: name and value side by side (transcript, trace). */
  dl.meta {
    display: grid;
    grid-template-columns: max-content 1fr;
    gap: 0.2em 1em;
    margin: 0 0 1em;
  }
  dt {
    color: var(--muted);
  }
  dd {
    margin: 0;
  }
  * {
    box-sizing: border-box;
  }
  a {
    color: var(--accent);
  }
  :focus-visible {
    outline: 3px solid var(--focus);
    outline-offset: 2px;
  }
  h1,
  h2,
  h3 {
    line-height: 1.2;
    margin: 0 0 0.6em;
  }
  h2 {
    font-size: 1.3rem;
  }
  h3 {
    font-size: 1.05rem;
  }
  button {
    font: inherit;
    color: var(--accent-text);
    background: var(--accent);
    border: 1px solid var(--accent);
    border-radius: 6px;
    padding: 0.35em 0.9em;
    cursor: pointer;
  }
  button.secondary {
    color: var(--text);
    background: transparent;
    border-color: var(--border);
  }
  input,
  select {
    font: inherit;
    color: var(--text);
    background: var(--bg);
    border: 1px solid var(--border);
    border-radius: 6px;
    padding: 0.3em 0.5em;
  }
  label {
    display: inline-flex;
    flex-direction: column;
    gap: 0.2em;
    font-size: 0.88rem;
    color: var(--muted);
  }
  label.check {
    flex-direction: row;
    align-items: center;
  }
  table {
    border-collapse: collapse;
    width: 100%;
  }
  th,
  td {
    text-align: start;
    padding: 0.4em 0.6em;
    border-bottom: 1px solid var(--border);
    vertical-align: top;
  }
  th {
    font-size: 0.85rem;
    color: var(--muted);
  }
  .muted {
    color: var(--muted);
  }
  .badge {
    display: inline-block;
    font-size: 0.8rem;
    padding: 0.05em 0.5em;
    border-radius: 999px;
    background: var(--badge);
    color: var(--text);
    border: 1px solid var(--border);
    margin: 0 0.25em 0.25em 0;
  }
  .danger {
    color: var(--danger);
  }
  .warning {
    color: var(--warning);
  }
  .ok {
    color: var(--ok);
  }
  .error-box {
    border: 1px solid var(--danger);
    color: var(--danger);
    padding: 0.6em 0.8em;
    border-radius: 6px;
  }
  pre.json,
  pre.answer {
    font: 13px/1.4 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace;
    background: var(--surface);
    color: var(--text);
    border: 1px solid var(--border);
    border-radius: 6px;
    padding: 0.6em 0.8em;
    overflow: auto;
    max-height: 28em;
    white-space: pre-wrap;
    overflow-wrap: anywhere;
    margin: 0.3em 0;
  }
  .sr-only {
    position: absolute;
    width: 1px;
    height: 1px;
    overflow: hidden;
    clip: rect(0 0 0 0);
    white-space: nowrap;
  }
`;
