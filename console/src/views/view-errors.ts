import { SignInRequired } from '../admin-client.ts';

/**
 * What a view shows when a call failed; a refused key instead tells the console (an
 * `unauthorized` event), which asks to sign in again.
 */
export function failureMessage(source: HTMLElement, error: unknown): string {
  if (error instanceof SignInRequired) {
    source.dispatchEvent(new CustomEvent('unauthorized', { bubbles: true, composed: true }));
    return '';
  }
  return error instanceof Error ? error.message : 'Something went wrong.';
}
