import { css } from 'lit';

/*
 * Styles of what the conversation contains: messages, markdown, notices, tool calls and
 * approval cards. They read only the private --_* variables set in agent-chat.styles.ts.
 * Link buttons wear the text colour underlined in the accent: an accent can be too dark to read
 * on the dark theme's background.
 */
export default css`
  /* ---- messages ---- */
  .messages {
    flex: 1;
    overflow-y: auto;
    overscroll-behavior: contain;
    padding: 16px;
    display: flex;
    flex-direction: column;
    gap: 10px;
  }
  .empty {
    margin: auto;
    text-align: center;
    color: var(--_muted);
  }
  .msg {
    display: flex;
    flex-direction: column;
    max-width: 85%;
  }
  .msg--user {
    align-self: flex-end;
    align-items: flex-end;
  }
  .msg--assistant {
    align-self: flex-start;
  }
  .bubble {
    padding: 9px 13px;
    border-radius: var(--_radius);
    overflow-wrap: anywhere;
  }
  .msg--user .bubble {
    background: var(--_user-background);
    color: var(--_user-text);
    border-end-end-radius: 4px;
    white-space: pre-wrap;
  }
  .msg--assistant .bubble {
    background: var(--_surface);
    border-end-start-radius: 4px;
  }
  .msg__agent,
  .msg__meta {
    font-size: 0.78em;
    color: var(--_muted);
    margin: 0 4px 3px;
  }
  .msg__meta {
    margin: 3px 4px 0;
  }
  .attachments {
    display: flex;
    flex-wrap: wrap;
    justify-content: flex-end;
    gap: 6px;
    margin-top: 4px;
  }
  .thumb {
    padding: 0;
    border: 1px solid var(--_border);
    border-radius: 10px;
    overflow: hidden;
    background: var(--_surface);
  }
  .thumb img {
    display: block;
    max-width: 160px;
    max-height: 120px;
    object-fit: cover;
  }
  .msg__meta--failed {
    color: var(--_danger);
  }
  .link-button {
    padding: 0;
    border: none;
    background: none;
    color: inherit;
    text-decoration: underline;
    text-decoration-color: var(--_accent);
    text-decoration-thickness: 2px;
  }
  .cursor {
    display: inline-block;
    width: 0.5em;
    height: 1em;
    margin-inline-start: 2px;
    vertical-align: text-bottom;
    background: currentColor;
    opacity: 0.5;
  }
  .typing {
    align-self: flex-start;
    color: var(--_muted);
    font-size: 0.88em;
  }

  /* ---- markdown ---- */
  .markdown > :first-child {
    margin-top: 0;
  }
  .markdown > :last-child {
    margin-bottom: 0;
  }
  .markdown p,
  .markdown ul,
  .markdown ol,
  .markdown pre,
  .markdown blockquote {
    margin: 0 0 0.6em;
  }
  .markdown li > p {
    margin: 0;
  }
  .markdown ul,
  .markdown ol {
    padding-inline-start: 1.3em;
  }
  .markdown .md-heading {
    font-weight: 600;
    margin: 0.4em 0;
  }
  .markdown .md-h1 {
    font-size: 1.2em;
  }
  .markdown .md-h2 {
    font-size: 1.1em;
  }
  .markdown code {
    font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace;
    font-size: 0.9em;
    padding: 1px 4px;
    border-radius: 4px;
    background: var(--_code-background);
  }
  .markdown pre {
    overflow-x: auto;
    padding: 10px 12px;
    border-radius: 8px;
    background: var(--_code-background);
  }
  .markdown pre code {
    padding: 0;
    background: none;
  }
  .markdown blockquote {
    padding-inline-start: 10px;
    border-inline-start: 3px solid var(--_border);
    color: var(--_muted);
  }
  .markdown a {
    color: inherit;
    text-decoration-color: var(--_accent);
    text-decoration-thickness: 2px;
  }
  .markdown hr {
    border: none;
    border-top: 1px solid var(--_border);
  }
  .markdown .md-code {
    margin: 0 0 0.6em;
    border-radius: 8px;
    background: var(--_code-background);
  }
  .markdown .md-code pre {
    margin: 0;
    padding-top: 4px;
  }
  .markdown .md-code-bar {
    display: flex;
    align-items: center;
    justify-content: space-between;
    padding: 4px 8px 0;
    padding-inline-start: 12px;
    color: var(--_muted);
    font-size: 0.8em;
  }
  .markdown .md-copy {
    font: inherit;
    color: inherit;
    padding: 2px 8px;
    border: 1px solid var(--_border);
    border-radius: 6px;
    background: none;
    cursor: pointer;
  }
  .markdown .md-table-rest {
    white-space: pre-wrap;
  }
  .markdown .md-table {
    margin: 0 0 0.6em;
    overflow-x: auto;
  }
  .markdown table {
    border-collapse: collapse;
    font-size: 0.95em;
  }
  .markdown th,
  .markdown td {
    padding: 4px 8px;
    border: 1px solid var(--_border);
    text-align: start;
  }
  .markdown th[align='center'],
  .markdown td[align='center'] {
    text-align: center;
  }
  .markdown th[align='right'],
  .markdown td[align='right'] {
    text-align: right;
  }
  .markdown li > input[type='checkbox'] {
    margin: 0;
    margin-inline-end: 0.3em;
  }
  .markdown img {
    max-width: 100%;
  }

  /* ---- notices, tool calls, approvals ---- */
  .notice {
    align-self: center;
    display: flex;
    align-items: center;
    gap: 6px;
    max-width: 90%;
    padding: 4px 12px;
    border-radius: 999px;
    font-size: 0.82em;
    color: var(--_muted);
    background: var(--_surface);
  }
  .connection-error {
    align-self: center;
    margin-top: auto;
    padding: 12px 16px;
    border: 1px solid var(--_danger);
    border-radius: 10px;
    text-align: center;
  }
  .connection-error p {
    margin: 0 0 10px;
  }
  .notice--guardrail {
    border-radius: 10px;
    color: var(--_text);
    border: 1px solid var(--_danger);
    background: transparent;
  }
  .notice svg {
    flex: none;
    width: 14px;
    height: 14px;
  }
  /* Arrows point the way text goes. */
  [dir='rtl'] .notice--handoff svg,
  [dir='rtl'] .handoff__arrow {
    transform: scaleX(-1);
  }
  .tool {
    align-self: flex-start;
    max-width: 90%;
    border: 1px solid var(--_border);
    border-radius: 10px;
    font-size: 0.88em;
  }
  .tool summary {
    display: flex;
    align-items: center;
    gap: 8px;
    padding: 6px 10px;
    cursor: pointer;
  }
  .tool summary::-webkit-details-marker {
    display: none;
  }
  .tool summary svg {
    flex: none;
    width: 14px;
    height: 14px;
    color: var(--_muted);
  }
  .tool summary::after {
    content: '';
    margin-inline-start: auto;
    padding: 2.5px;
    border: solid var(--_muted);
    border-width: 0 1.5px 1.5px 0;
    transform: rotate(-45deg);
  }
  [dir='rtl'] .tool summary::after {
    transform: rotate(135deg);
  }
  .tool[open] summary::after {
    transform: rotate(45deg);
  }
  .tool__head {
    display: flex;
    flex-direction: column;
    min-width: 0;
    overflow-wrap: anywhere;
  }
  .tool__note,
  .approval__asker {
    color: var(--_muted);
    font-size: 0.9em;
  }
  /* Status icon: a spinner while running, then a tick, a cross, or a dash for "nothing found". */
  .tool__icon {
    flex: none;
    display: grid;
    place-items: center;
    width: 14px;
    height: 14px;
    font-size: 12px;
    line-height: 1;
    color: var(--_muted);
  }
  .tool[data-state='running'] .tool__icon {
    box-sizing: border-box;
    border: 2px solid var(--_border);
    border-top-color: var(--_accent);
    border-radius: 50%;
    animation: tool-spin 0.8s linear infinite;
  }
  .tool[data-state='completed'] .tool__icon::before {
    content: '✓';
    color: var(--_success);
  }
  .tool[data-state='failed'] .tool__icon::before,
  .tool[data-state='denied'] .tool__icon::before {
    content: '✕';
    color: var(--_danger);
  }
  .tool[data-state='no_match'] .tool__icon::before {
    content: '–';
  }
  @keyframes tool-spin {
    to {
      transform: rotate(1turn);
    }
  }
  @media (prefers-reduced-motion: reduce) {
    .tool[data-state='running'] .tool__icon {
      animation: none;
    }
  }
  .tool__args {
    display: grid;
    grid-template-columns: auto 1fr;
    gap: 2px 10px;
    margin: 0 0 6px;
    font-size: 0.95em;
  }
  .tool__args dt {
    color: var(--_muted);
  }
  .tool__args dd {
    margin: 0;
    overflow-wrap: anywhere;
  }
  .badge {
    padding: 1px 8px;
    border-radius: 999px;
    font-size: 0.85em;
    background: var(--_surface);
    color: var(--_muted);
  }
  .badge--completed {
    color: var(--_success);
  }
  .badge--failed,
  .badge--denied {
    color: var(--_danger);
  }
  .tool__body {
    padding: 0 10px 10px;
  }
  .tool__label {
    margin: 6px 0 2px;
    font-size: 0.85em;
    color: var(--_muted);
  }
  .tool pre {
    margin: 0;
    max-height: 220px;
    overflow: auto;
    padding: 8px;
    border-radius: 6px;
    background: var(--_code-background);
    font-size: 0.9em;
    white-space: pre-wrap;
    overflow-wrap: anywhere;
  }
  .tool__error {
    margin: 6px 0 0;
    color: var(--_danger);
  }
  .approval {
    align-self: stretch;
    padding: 12px;
    border: 1px solid var(--_accent);
    border-radius: var(--_radius);
    background: var(--_surface);
  }
  .approval__title {
    margin: 0 0 6px;
    font-weight: 600;
  }
  .approval__asker {
    margin: 0 0 8px;
  }
  .approval .tool__args {
    margin-bottom: 10px;
    font-size: 0.9em;
  }
  .approval__actions {
    display: flex;
    flex-wrap: wrap;
    gap: 8px;
    align-items: center;
  }
  .approval__reason {
    display: flex;
    flex-direction: column;
    gap: 4px;
    width: 100%;
    font-size: 0.9em;
  }
  .approval__reason input {
    padding: 6px 8px;
    border: 1px solid var(--_border);
    border-radius: 8px;
    background: var(--_background);
  }
  .button {
    padding: 7px 14px;
    border-radius: 8px;
    border: 1px solid var(--_border);
    background: var(--_background);
    font-weight: 500;
  }
  .button--primary {
    border-color: var(--_accent);
    background: var(--_accent);
    color: var(--_on-accent);
  }
  .button--danger {
    border-color: var(--_danger);
    color: var(--_danger);
  }

  /* ---- jump to latest: over the bottom of the conversation while the reader scrolled up ---- */
  .conversation {
    position: relative;
    flex: 1;
    min-height: 0;
    display: flex;
    flex-direction: column;
  }
  .jump {
    position: absolute;
    bottom: 12px;
    left: 50%;
    transform: translateX(-50%);
    display: inline-flex;
    align-items: center;
    gap: 6px;
    padding: 6px 12px;
    border: 1px solid var(--_border);
    border-radius: 999px;
    background: var(--_background);
    color: var(--_text);
    box-shadow: var(--_shadow);
    font-size: 0.85em;
  }
  .jump svg {
    width: 16px;
    height: 16px;
  }
`;
