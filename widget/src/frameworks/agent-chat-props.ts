import type { AgentChatMode, AgentChatTheme } from '../agent-chat.component.ts';

/**
 * UI strings a page may override, by key (see docs/widget.md). Loose until the language tables
 * have a type of their own.
 */
export type AgentChatStrings = Partial<Record<string, unknown>>;

/**
 * What a framework template may pass to `<agent-chat>`, and the type of each value.
 *
 * React 19 and Vue 3 set a prop as a *property* when the element has one of that name (`theme`,
 * `open`, `starters`, `strings`…) and as an *attribute* otherwise, so hyphenated names
 * (`public-key`, `user-token`, `launcher-label`) are attributes (strings) and the others take the
 * property's type: a boolean for `open`, an array for `starters`, an object for `strings`. The
 * element must be defined first (import the package before rendering) for properties to apply.
 */
export interface AgentChatProps {
  /** Base URL of the agent-chat server (default: where widget.js was loaded from). */
  server?: string;
  /** Workflow id on the server (default `support`). */
  workflow?: string;
  /** `light`, `dark`, or `auto` (follows the visitor's system setting). */
  theme?: AgentChatTheme;
  /** A CSS colour for the accent. */
  accent?: string;
  /** `launcher` (floating button + panel) or `inline` (the panel in place). */
  mode?: AgentChatMode;
  /** Whether the launcher panel is open. */
  open?: boolean;
  /** The site's public key (not a secret). */
  'public-key'?: string;
  /** A signed-in user's JWT, minted by the site's backend. */
  'user-token'?: string;
  /** Heading of the panel (default: the workflow's name). */
  title?: string;
  /** Second line of the heading. */
  subtitle?: string;
  /** What the empty conversation says. */
  greeting?: string;
  /** Suggested first messages, shown as buttons in an empty conversation (in HTML: a JSON array). */
  starters?: readonly string[];
  /** Placeholder of the text box. */
  placeholder?: string;
  /** Accessible name of the launcher button. */
  'launcher-label'?: string;
  /** Corner of the launcher. */
  position?: 'bottom-right' | 'bottom-left';
  /** Corner radius of the panel and bubbles (a CSS length). */
  radius?: string;
  /** Spacing of the conversation. */
  density?: 'comfortable' | 'compact';
  /** Font family (CSS `font-family`). */
  font?: string;
  /** Language of the interface (BCP 47, e.g. `de`, `ar`). */
  lang?: string;
  /** Show the list of the visitor's earlier conversations. */
  history?: boolean;
  /** Show thumbs up / down on replies. */
  feedback?: boolean;
  /** UI strings to override (a property only: an object has no attribute form). */
  strings?: AgentChatStrings;
}
