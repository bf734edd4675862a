import { svg } from 'lit';

/* Inline icons (24px grid, stroke = currentColor); decorative, so aria-hidden. */

const icon = (body: ReturnType<typeof svg>) =>
  svg`<svg viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round" aria-hidden="true" focusable="false">${body}</svg>`;

export const chatIcon = icon(svg`<path d="M21 12a8 8 0 0 1-11.6 7.1L4 20l1-4.6A8 8 0 1 1 21 12z"/>`);
export const closeIcon = icon(svg`<path d="M6 6l12 12M18 6L6 18"/>`);
export const newIcon = icon(svg`<path d="M12 5v14M5 12h14"/>`);
export const arrowDownIcon = icon(svg`<path d="M12 5v14M6 13l6 6 6-6"/>`);
export const sendIcon = icon(svg`<path d="M5 12h13M13 6l6 6-6 6"/>`);
export const shieldIcon = icon(svg`<path d="M12 3l8 3v6c0 4.5-3.4 8.2-8 9-4.6-.8-8-4.5-8-9V6z"/>`);
export const handoffIcon = icon(svg`<path d="M4 12h14M14 7l5 5-5 5"/>`);
export const toolIcon = icon(svg`<path d="M14.7 6.3a4 4 0 0 0-5.4 5.4L3 18l3 3 6.3-6.3a4 4 0 0 0 5.4-5.4l-2.5 2.5-2.5-.5-.5-2.5z"/>`);
export const moreIcon = icon(svg`<circle cx="12" cy="5" r="1"/><circle cx="12" cy="12" r="1"/><circle cx="12" cy="19" r="1"/>`);
export const paperclipIcon = icon(svg`<path d="M21 11.5l-8.6 8.6a5 5 0 0 1-7.1-7.1l8.6-8.6a3.5 3.5 0 0 1 5 5l-8.6 8.6a2 2 0 0 1-2.8-2.8l7.9-7.9"/>`);
export const fileIcon = icon(svg`<path d="M14 3H6v18h12V7zM14 3v4h4"/>`);
export const thumbUpIcon = icon(svg`<path d="M7 10v11H4V10zM7 10l4-7a2 2 0 0 1 2 2v4h6a2 2 0 0 1 2 2.3l-1.4 8A2 2 0 0 1 17.6 21H7"/>`);
export const thumbDownIcon = icon(svg`<path d="M17 14V3h3v11zM17 14l-4 7a2 2 0 0 1-2-2v-4H5a2 2 0 0 1-2-2.3l1.4-8A2 2 0 0 1 6.4 3H17"/>`);
export const historyIcon = icon(svg`<path d="M4 6h16M4 12h16M4 18h10"/>`);
export const trashIcon = icon(svg`<path d="M4 7h16M9 7V4h6v3M6 7l1 13h10l1-13"/>`);
