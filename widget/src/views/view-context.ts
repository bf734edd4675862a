import type { UiStrings } from '../i18n/en.ts';
import type { ViewModel } from '../state/view-model.ts';
import type { AttachmentActions } from './attachments.ts';

/** What the view functions need from the element: the model and the visitor's intents. */
export interface ViewContext {
  vm: ViewModel;
  /** The texts in the visitor's language (with the site owner's replacements). */
  t: UiStrings;
  /** The locale for dates and numbers: the resolved language, with the region the page or browser gives (`es-MX`, `ar`). */
  lang: string;
  /** The site owner's text for the empty conversation (`greeting` attribute); the `empty` slot still wins. */
  greeting?: string | undefined;
  /** Call id whose Deny form (with the optional reason) is open, if any. */
  denying: string | null;
  onApprove(callId: string): void;
  /** Opens the Deny form for a call. */
  onDenyStart(callId: string): void;
  onDenyConfirm(callId: string, reason: string): void;
  onDenyCancel(): void;
  onRetry(clientMessageId: string): void;
  onLoadEarlier(): void;
  /** Retry after the connection gave up. */
  onReconnect(): void;
  /** Thumbnails, full-size views and downloads of sent files. */
  attachments: AttachmentActions;
  /** An id prefix unique to this element, for ARIA references inside its shadow root. */
  idPrefix: string;
  /** Suggested first messages for an empty conversation (the `starters` attribute). */
  starters: readonly string[];
  onStarter(prompt: string): void;
  /** Thumbs up / down under answers (the `feedback` attribute); undefined when off. */
  feedback?: {
    /** Item id whose comment box is open. */
    commenting: string | null;
    onRate(itemId: string, rating: 'up' | 'down'): void;
    onComment(itemId: string, comment: string): void;
    onCloseComment(): void;
  };
}
