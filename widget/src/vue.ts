/*
 * `@agent-chat/widget/vue`: the main entry (importing it defines <agent-chat>) plus the
 * element's types for Vue templates (vue-tsc, Volar). Vue must still be told not to resolve the
 * tag as a Vue component: `compilerOptions.isCustomElement` (docs/widget.md, Frameworks).
 * `import type {} from '@agent-chat/widget/vue'` brings only the types.
 */
import type { EmitFn, HTMLAttributes, PublicProps } from 'vue';
import type { AgentChat } from './agent-chat.component.ts';
import type { AgentChatEventMap } from './events.ts';
import type { AgentChatProps } from './frameworks/agent-chat-props.ts';

export * from './index.ts';

/** `launcher-label` → `launcherLabel`. */
type CamelCase<S extends string> = S extends `${infer Head}-${infer Tail}` ? `${Head}${Capitalize<CamelCase<Tail>>}` : S;

/**
 * Vue's checker camelCases a template's hyphenated attribute names before it looks them up, so
 * `public-key="…"` is checked as `publicKey` (at run time Vue still sets the attribute).
 */
type CamelCaseKeys<T> = { [K in keyof T as CamelCase<K & string>]: T[K] };

/**
 * `<agent-chat>` as Vue's type checker sees a component: it reads the template's props from
 * `$props` and its `@event` handlers from `$emit` (Vue's documented pattern for custom elements).
 * Neither exists on the element at run time.
 */
export type AgentChatVueComponent = new () => AgentChat & {
  /** @deprecated Template types only: not a property of the element. */
  $props: HTMLAttributes & CamelCaseKeys<AgentChatProps> & PublicProps;
  /** @deprecated Template types only: not a method of the element. */
  $emit: EmitFn<{ [K in keyof AgentChatEventMap]: (event: AgentChatEventMap[K]) => void }>;
};

declare module 'vue' {
  interface GlobalComponents {
    'agent-chat': AgentChatVueComponent;
  }
}
