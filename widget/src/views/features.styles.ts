import { css } from 'lit';

/*
 * What the site owner turns on: position, density, the unread dot, starters, timestamps,
 * feedback and the thread list. Reads only the private --_* variables of the base styles.
 */
export default css`
  :host([mode='launcher'][position='bottom-left']) {
    right: auto;
    left: var(--agent-chat-offset, 20px);
  }
  .base--left .launcher {
    margin-left: 0;
  }
  :host([mode='launcher']) .base--left .panel {
    right: auto;
    left: 0;
  }
  .base--compact .messages,
  .base--compact .header,
  .base--compact .composer {
    padding: 6px 8px;
    gap: 6px;
  }
  .base--compact .bubble {
    padding: 5px 9px;
  }
  .launcher {
    position: relative;
  }
  .unread {
    position: absolute;
    top: 2px;
    right: 2px;
    width: 14px;
    height: 14px;
    border-radius: 50%;
    background: var(--_danger);
    border: 2px solid var(--_background);
  }
  .starters,
  .threads ul {
    display: flex;
    flex-wrap: wrap;
    justify-content: center;
    gap: 6px;
    margin: 12px 0 0;
    padding: 0;
    list-style: none;
  }
  .starter {
    padding: 6px 12px;
    border: 1px solid var(--_accent);
    border-radius: 99px;
    background: none;
    color: var(--_accent);
  }
  .msg__time,
  .feedback span,
  .threads time,
  .threads p {
    font-size: 0.75em;
    color: var(--_muted);
  }
  /* Hidden (not just transparent) until wanted: keeps the message's text its own words. */
  .msg__time {
    margin: 2px 4px 0;
    visibility: hidden;
  }
  .msg:hover .msg__time,
  .msg:focus-within .msg__time,
  .messages:focus-visible .msg__time {
    visibility: visible;
  }
  .feedback,
  .feedback form,
  .threads li,
  .threads__bar {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 4px;
  }
  .feedback form,
  .feedback label {
    width: 100%;
  }
  .feedback .icon-button {
    width: 28px;
    height: 28px;
    color: var(--_muted);
  }
  .feedback svg,
  .threads__bar svg {
    width: 16px;
    height: 16px;
  }
  .feedback [aria-pressed='true'] {
    color: var(--_accent);
    background: var(--_surface);
  }
  .threads {
    flex: 1;
    overflow-y: auto;
    padding: 12px 16px;
  }
  .threads__bar {
    justify-content: space-between;
  }
  .threads h3 {
    font-size: 1em;
    margin: 14px 0 0;
  }
  .threads ul {
    display: block;
  }
  .threads li {
    flex-wrap: nowrap;
    border-bottom: 1px solid var(--_border);
  }
  .threads__open {
    flex: 1;
    min-width: 0;
    display: grid;
    justify-items: start;
    padding: 8px 4px;
    border: none;
    background: none;
    text-align: start;
  }
  .threads__open span {
    max-width: 100%;
    overflow: hidden;
    text-overflow: ellipsis;
    white-space: nowrap;
  }
  [aria-current='true'] span {
    font-weight: 600;
  }
  .threads .confirm {
    flex: 1;
  }
`;
