/*
 * `@agent-chat/widget/react`: the main entry (importing it defines <agent-chat>) plus the
 * element's types for React 19's JSX. `import type {} from '@agent-chat/widget/react'` brings
 * only the types, for a page that loads widget.js from the server instead.
 */
import type { DetailedHTMLProps, HTMLAttributes } from 'react';
import type { AgentChat } from './agent-chat.component.ts';
import type { AgentChatEventMap } from './events.ts';
import type { AgentChatProps } from './frameworks/agent-chat-props.ts';

export * from './index.ts';

/**
 * Event props: on a custom element React 19 turns an `on…` prop that is not one of its own
 * events into a listener for the rest of the name, case kept, so `onagent-chat-ready={…}`
 * listens to `agent-chat-ready`.
 */
export type AgentChatReactEventProps = {
  [K in keyof AgentChatEventMap as `on${K}`]?: (event: AgentChatEventMap[K]) => void;
};

/** Everything `<agent-chat>` takes in React 19 JSX: the element's props, its events, `ref`, `key`, `class` and the common HTML ones. */
export type AgentChatReactProps = DetailedHTMLProps<HTMLAttributes<AgentChat>, AgentChat> &
  AgentChatProps &
  AgentChatReactEventProps & {
    /** React 19 passes `class` to a custom element as the attribute (`className` works too). */
    class?: string;
  };

declare module 'react' {
  namespace JSX {
    interface IntrinsicElements {
      'agent-chat': AgentChatReactProps;
    }
  }
}
