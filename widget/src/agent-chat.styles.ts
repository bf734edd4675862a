import { css } from 'lit';

/*
 * Public tokens (--agent-chat-*) are read once, on the base element, into private --_*
 * variables; everything below reads only the private ones (material-web's pattern). They are
 * set on `.base` rather than :host so the `accent` attribute (an inline --agent-chat-accent on
 * .base) reaches every colour derived from it.
 *
 * Against the page (comments here, not in the CSS, which ships as written):
 * - .base sets box-sizing: a page's "* { box-sizing: content-box }" sets it on the host, and
 *   everything inside inherits it from .base.
 * - .base without dir is ltr: a page's direction (an rtl site, or a rule on the element) is not
 *   the chat's; its language decides, through dir.
 * - The launcher is positioned, so ::part(launcher) { bottom: 88px } lifts it from its corner,
 *   and the panel is anchored to it (where anchor positioning exists) so it still opens above.
 */

const lightTokens = css`
  --_background: var(--agent-chat-background, #ffffff);
  --_surface: var(--agent-chat-surface, #f3f4f6);
  --_text: var(--agent-chat-text, #111827);
  --_muted: var(--agent-chat-muted, #4b5563);
  --_border: var(--agent-chat-border, #e5e7eb);
  --_danger: var(--agent-chat-danger, #b91c1c);
  --_success: var(--agent-chat-success, #15803d);
  --_code-background: var(--agent-chat-code-background, #e5e7eb);
  color-scheme: light;
`;

const darkTokens = css`
  --_background: var(--agent-chat-background, #111827);
  --_surface: var(--agent-chat-surface, #1f2937);
  --_text: var(--agent-chat-text, #f9fafb);
  --_muted: var(--agent-chat-muted, #9ca3af);
  --_border: var(--agent-chat-border, #374151);
  --_danger: var(--agent-chat-danger, #f87171);
  --_success: var(--agent-chat-success, #4ade80);
  --_code-background: var(--agent-chat-code-background, #0b1220);
  color-scheme: dark;
`;

export default css`
  /*
   * The page's inherited styles stop here (a page's text-align: center, letter-spacing,
   * italics, white-space: pre…): all: initial resets every inherited property but direction
   * and custom properties, so the theming variables still come through. The page can still
   * style the element itself (position, size, margins).
   */
  :host {
    all: initial;
    display: block;
    box-sizing: border-box;
    /* The panel takes its direction from the widget's language (dir), not from the page. */
    direction: ltr;
  }
  :host([hidden]) {
    display: none;
  }
  :host([mode='launcher']) {
    position: fixed;
    right: var(--agent-chat-offset, 20px);
    bottom: var(--agent-chat-offset, 20px);
    z-index: var(--agent-chat-z-index, 2147483000);
  }
  :host([mode='inline']) {
    height: var(--agent-chat-height, 100%);
    min-height: 320px;
  }
  *,
  *::before,
  *::after {
    box-sizing: inherit;
  }

  .base {
    ${lightTokens}
    --_accent: var(--agent-chat-accent, #2563eb);
    --_on-accent: var(--agent-chat-accent-text, #ffffff);
    --_radius: var(--agent-chat-radius, 14px);
    --_font: var(--agent-chat-font, system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif);
    --_font-size: var(--agent-chat-font-size, 15px);
    --_shadow: var(--agent-chat-shadow, 0 12px 40px rgb(0 0 0 / 0.18), 0 2px 8px rgb(0 0 0 / 0.08));
    --_user-background: var(--agent-chat-user-background, var(--_accent));
    --_user-text: var(--agent-chat-user-text, var(--_on-accent));
    font-family: var(--_font);
    font-size: var(--_font-size);
    line-height: 1.45;
    color: var(--_text);
    height: 100%;
    /* Again inside the shadow root, where no page rule reaches: a page's "* { … }" styles the host itself. */
    font-style: normal;
    font-weight: 400;
    font-variant: normal;
    letter-spacing: normal;
    word-spacing: normal;
    text-align: start;
    text-indent: 0;
    text-transform: none;
    text-shadow: none;
    white-space: normal;
    word-break: normal;
    writing-mode: horizontal-tb;
    box-sizing: border-box;
  }
  .base:not([dir]) {
    direction: ltr;
  }
  /*
   * Text on the accent: white on dark accents, black on light ones, so any brand colour stays
   * readable (WCAG's crossover sits near OKLCH lightness 0.57). Browsers without relative
   * colour syntax keep white.
   */
  @supports (color: oklch(from red l c h)) {
    .base {
      --_on-accent: var(--agent-chat-accent-text, oklch(from var(--_accent) clamp(0, (0.57 - l) * 1000, 1) 0 0));
    }
  }
  :host([theme='dark']) .base {
    ${darkTokens}
  }
  @media (prefers-color-scheme: dark) {
    :host([theme='auto']) .base {
      ${darkTokens}
    }
  }

  button,
  textarea,
  input {
    font: inherit;
    color: inherit;
  }
  button {
    cursor: pointer;
  }
  button:disabled {
    cursor: not-allowed;
    opacity: 0.55;
  }
  :focus-visible {
    outline: 2px solid var(--_accent);
    outline-offset: 2px;
  }
  .sr-only {
    position: absolute;
    width: 1px;
    height: 1px;
    overflow: hidden;
    clip-path: inset(50%);
    white-space: nowrap;
  }

  /* ---- launcher ---- */
  .launcher {
    position: relative;
    anchor-name: --agent-chat-launcher;
    display: grid;
    place-items: center;
    width: 56px;
    height: 56px;
    margin-left: auto;
    border: none;
    border-radius: 50%;
    background: var(--_accent);
    color: var(--_on-accent);
    box-shadow: var(--_shadow);
  }
  .launcher svg {
    width: 26px;
    height: 26px;
  }

  /* ---- panel ---- */
  .panel {
    position: relative;
    display: flex;
    flex-direction: column;
    overflow: hidden;
    height: 100%;
    background: var(--_background);
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
  }
  .panel[hidden] {
    display: none;
  }
  :host([mode='launcher']) .panel {
    position: absolute;
    right: 0;
    bottom: 68px;
    width: var(--agent-chat-width, 380px);
    max-width: calc(100vw - 2 * var(--agent-chat-offset, 20px));
    height: var(--agent-chat-height, min(640px, calc(100vh - 120px)));
    box-shadow: var(--_shadow);
  }
  @supports (anchor-name: --a) {
    :host([mode='launcher']) .panel {
      position-anchor: --agent-chat-launcher;
      right: anchor(right, 0px);
      bottom: calc(anchor(top, 56px) + 12px);
    }
  }
  @media (max-width: 480px) {
    :host([mode='launcher']) .panel {
      position: fixed;
      inset: 0;
      width: 100%;
      max-width: none;
      height: 100%;
      border-radius: 0;
      border: none;
    }
  }

  /* ---- header ---- */
  .header {
    display: flex;
    align-items: center;
    gap: 8px;
    padding: 12px;
    padding-inline-start: 16px;
    background: var(--_accent);
    color: var(--_on-accent);
  }
  .header__text {
    flex: 1;
    min-width: 0;
  }
  .title {
    margin: 0;
    font-size: 1.05em;
    font-weight: 600;
    white-space: nowrap;
    overflow: hidden;
    text-overflow: ellipsis;
  }
  .subtitle {
    margin: 0;
    font-size: 0.85em;
    opacity: 0.92;
    overflow-wrap: anywhere;
  }
  .status {
    display: flex;
    align-items: center;
    gap: 6px;
    font-size: 0.82em;
    opacity: 0.92;
  }
  /* Replies come from the offline demo model: said quietly (small), but still readable (full contrast). */
  .model-note {
    padding: 0 6px;
    border: 1px solid currentColor;
    border-radius: 999px;
    font-size: 0.9em;
    white-space: nowrap;
  }
  .status__dot {
    width: 8px;
    height: 8px;
    border-radius: 50%;
    background: #fbbf24;
    box-shadow: 0 0 0 2px rgb(255 255 255 / 0.35);
  }
  .status__dot--connected {
    background: #4ade80;
  }
  .status__dot--failed {
    background: #f87171;
  }
  .icon-button {
    display: grid;
    place-items: center;
    width: 34px;
    height: 34px;
    padding: 0;
    border: none;
    border-radius: 8px;
    background: transparent;
    color: inherit;
  }
  .icon-button:hover:not(:disabled) {
    background: rgb(255 255 255 / 0.16);
  }
  .icon-button svg {
    width: 20px;
    height: 20px;
  }

  .menu-anchor {
    position: relative;
  }
  .menu {
    position: absolute;
    inset-inline-end: 0;
    top: calc(100% + 4px);
    z-index: 1;
    display: flex;
    flex-direction: column;
    padding: 4px;
    background: var(--_background);
    color: var(--_text);
    border: 1px solid var(--_border);
    border-radius: 10px;
    box-shadow: var(--_shadow);
  }
  .menu__item {
    padding: 8px 12px;
    border: none;
    border-radius: 6px;
    background: none;
    text-align: start;
    white-space: nowrap;
  }
  .menu__item:hover,
  .menu__item:focus {
    background: var(--_surface);
  }
  .menu__item[aria-disabled='true'] {
    opacity: 0.55;
  }
  .confirm {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 8px;
    padding: 8px 16px;
    font-size: 0.9em;
    background: var(--_surface);
    border-bottom: 1px solid var(--_border);
  }
  .confirm span {
    flex: 1;
  }

  /* ---- status line and composer ---- */
  .status-line {
    display: flex;
    align-items: center;
    gap: 8px;
    padding: 6px 16px;
    font-size: 0.85em;
    color: var(--_muted);
    border-top: 1px solid var(--_border);
  }
  .status-line:empty {
    display: none;
  }
  .status-line--error {
    color: var(--_danger);
  }
  .composer {
    display: flex;
    flex-wrap: wrap;
    align-items: flex-end;
    gap: 8px;
    padding: 10px 12px;
    border-top: 1px solid var(--_border);
  }
  .input {
    flex: 1;
    min-height: 40px;
    max-height: 160px;
    field-sizing: content;
    resize: none;
    padding: 9px 12px;
    border: 1px solid var(--_border);
    border-radius: 12px;
    background: var(--_background);
    line-height: 1.4;
  }
  .input:focus-visible {
    outline-offset: 0;
  }
  .attach {
    flex: none;
    display: grid;
    place-items: center;
    width: 40px;
    height: 40px;
    padding: 0;
    border: 1px solid var(--_border);
    border-radius: 12px;
    background: var(--_background);
    color: var(--_muted);
  }
  .attach svg,
  .chip__icon svg,
  .chip__remove svg {
    display: block;
    width: 18px;
    height: 18px;
  }
  .drafts {
    flex-basis: 100%;
    min-width: 0;
  }
  .chips {
    display: flex;
    flex-wrap: wrap;
    gap: 6px;
    margin: 0;
    padding: 0;
    list-style: none;
    max-height: 132px;
    overflow-y: auto;
  }
  .chip {
    display: flex;
    align-items: center;
    gap: 8px;
    max-width: 100%;
    padding: 4px 6px;
    border: 1px solid var(--_border);
    border-radius: 10px;
    background: var(--_surface);
    color: var(--_text);
    font-size: 0.85em;
    text-align: start;
  }
  .chip[data-status='failed'] {
    border-color: var(--_danger);
  }
  .chip__thumb {
    width: 36px;
    height: 36px;
    object-fit: cover;
    border-radius: 6px;
  }
  .chip__icon {
    color: var(--_muted);
  }
  .chip__body {
    display: flex;
    flex-direction: column;
    min-width: 0;
  }
  .chip__name {
    overflow: hidden;
    text-overflow: ellipsis;
    white-space: nowrap;
    max-width: 200px;
  }
  .chip__meta {
    color: var(--_muted);
    font-size: 0.9em;
  }
  .chip__progress {
    width: 120px;
    height: 4px;
    accent-color: var(--_accent);
  }
  .chip__error {
    color: var(--_danger);
  }
  .chip__remove {
    flex: none;
    padding: 2px;
    border: none;
    border-radius: 6px;
    background: none;
    color: var(--_muted);
  }
  .attach-notice {
    display: flex;
    align-items: flex-start;
    gap: 6px;
    margin-bottom: 6px;
    color: var(--_danger);
    font-size: 0.85em;
  }
  .attach-notice > span {
    flex: 1;
  }
  .drop-overlay {
    position: absolute;
    inset: 0;
    display: grid;
    place-items: center;
    border: 2px dashed var(--_accent);
    border-radius: var(--_radius);
    background: color-mix(in srgb, var(--_background) 88%, transparent);
    color: var(--_accent);
    font-weight: 600;
    pointer-events: none;
  }
  .lightbox {
    max-width: 92vw;
    max-height: 92vh;
    padding: 0;
    border: none;
    border-radius: var(--_radius);
    background: var(--_background);
  }
  .lightbox::backdrop {
    background: rgb(0 0 0 / 0.7);
  }
  .lightbox img {
    display: block;
    max-width: 92vw;
    max-height: 92vh;
  }
  .lightbox form {
    position: absolute;
    top: 8px;
    inset-inline-end: 8px;
  }
  .lightbox__close {
    padding: 6px;
    border: none;
    border-radius: 50%;
    background: var(--_surface);
  }
  .lightbox__close svg {
    display: block;
    width: 20px;
    height: 20px;
  }
  .send,
  .stop {
    flex: none;
    height: 40px;
    min-width: 40px;
    padding: 0 14px;
    border: none;
    border-radius: 12px;
    background: var(--_accent);
    color: var(--_on-accent);
    font-weight: 600;
  }
  .send svg {
    display: block;
    width: 20px;
    height: 20px;
  }
  /* The arrow points the way text goes. */
  [dir='rtl'] .send svg {
    transform: scaleX(-1);
  }
  .stop {
    background: var(--_surface);
    color: var(--_text);
    border: 1px solid var(--_border);
  }

  @media (prefers-reduced-motion: no-preference) {
    .cursor {
      animation: blink 1s steps(2, start) infinite;
    }
    :host([mode='launcher']) .panel {
      animation: rise 160ms ease-out;
    }
    @keyframes blink {
      to {
        visibility: hidden;
      }
    }
    @keyframes rise {
      from {
        opacity: 0;
        transform: translateY(8px);
      }
    }
  }
`;
