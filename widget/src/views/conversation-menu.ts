import { html, nothing, type TemplateResult } from 'lit';
import type { UiStrings } from '../i18n/en.ts';
import { moreIcon } from './icons.ts';

/** Which deletion the visitor picked from the menu and must confirm. */
export type DeleteChoice = 'one' | 'all';

/** Options for {@link conversationMenu}. */
export interface ConversationMenuOptions {
  open: boolean;
  /** The button is usable (connected). */
  enabled: boolean;
  /** A thread is open, so "Delete this conversation" makes sense. */
  canDeleteOne: boolean;
  /** Opens or closes the menu; `focus` says where focus goes (nowhere when left out). */
  onToggle(open: boolean, focus?: 'first' | 'last' | 'button'): void;
  onChoose(choice: DeleteChoice): void;
}

/** Moves focus among the menu's items with the arrow keys, Home and End (wrapping); Escape closes. */
function onMenuKeydown(event: KeyboardEvent, close: () => void): void {
  if (event.key === 'Escape') {
    event.stopPropagation(); // only the menu closes, not the launcher panel around it
    close();
    return;
  }
  const items = [...(event.currentTarget as HTMLElement).querySelectorAll<HTMLElement>('[aria-disabled="false"]')];
  const n = items.length;
  const index = items.indexOf(event.target as HTMLElement);
  const next = { ArrowDown: (index + 1) % n, ArrowUp: (index - 1 + n) % n, Home: 0, End: n - 1 }[event.key];
  if (next === undefined) return;
  event.preventDefault();
  items[next]?.focus();
}

/**
 * The header's "Conversation options" menu button (the WAI-ARIA menu button pattern): Enter,
 * Space or ArrowDown open it on the first item, ArrowUp on the last; arrows move, Escape
 * closes and gives focus back to the button; focus leaving the menu closes it.
 */
export function conversationMenu(o: ConversationMenuOptions, t: UiStrings): TemplateResult {
  const onButtonKeydown = (event: KeyboardEvent) => {
    if (event.key !== 'ArrowDown' && event.key !== 'ArrowUp') return;
    event.preventDefault();
    o.onToggle(true, event.key === 'ArrowDown' ? 'first' : 'last');
  };
  const onFocusout = (event: FocusEvent) => {
    const to = event.relatedTarget as Node | null;
    if (!to || !(event.currentTarget as HTMLElement).contains(to)) o.onToggle(false);
  };
  const item = (choice: DeleteChoice, label: string, disabled = false) =>
    html`<button part="menu-item" class="menu__item" type="button" role="menuitem" tabindex="-1" aria-disabled=${disabled ? 'true' : 'false'}
      @click=${() => !disabled && o.onChoose(choice)}>${label}</button>`;
  return html`<div class="menu-anchor" @focusout=${o.open ? onFocusout : null}>
    <button
      part="menu-button"
      class="icon-button"
      type="button"
      id="menu-button"
      title=${t.conversationOptions}
      aria-label=${t.conversationOptions}
      aria-haspopup="menu"
      aria-controls="menu"
      aria-expanded=${o.open ? 'true' : 'false'}
      ?disabled=${!o.enabled}
      @click=${() => o.onToggle(!o.open, 'first')}
      @keydown=${onButtonKeydown}
    >
      ${moreIcon}
    </button>
    ${o.open
      ? html`<div part="menu" class="menu" id="menu" role="menu" aria-labelledby="menu-button"
          @keydown=${(e: KeyboardEvent) => onMenuKeydown(e, () => o.onToggle(false, 'button'))}>
          ${item('one', t.deleteThis, !o.canDeleteOne)}${item('all', t.deleteAll)}
        </div>`
      : nothing}
  </div>`;
}

/** Options for {@link deleteConfirmation}. */
export interface DeleteConfirmationOptions {
  choice: DeleteChoice;
  onConfirm(): void;
  onCancel(): void;
  t: UiStrings;
}

/** The inline "are you sure" step under the header; Escape cancels. */
export function deleteConfirmation({ choice, onConfirm, onCancel, t }: DeleteConfirmationOptions): TemplateResult {
  const question = choice === 'one' ? t.confirmDeleteThis : t.confirmDeleteAll;
  const onKeydown = (event: KeyboardEvent) => {
    if (event.key !== 'Escape') return;
    event.stopPropagation();
    onCancel();
  };
  return html`<div part="confirm" class="confirm" role="group" aria-labelledby="confirm-text" @keydown=${onKeydown}>
    <span id="confirm-text">${question}</span>
    <button part="confirm-button" class="button button--danger" type="button" @click=${onConfirm}>${t.delete}</button>
    <button part="cancel-button" class="button" type="button" @click=${onCancel}>${t.cancel}</button>
  </div>`;
}
