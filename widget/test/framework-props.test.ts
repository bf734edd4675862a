import { expect } from '@open-wc/testing';
import { AgentChat } from '../src/index.ts';
import type { AgentChatProps } from '../src/index.ts';

/*
 * The framework types (AgentChatProps, used by @agent-chat/widget/react and /vue) against the
 * element itself: every attribute the element observes is typed, and every typed prop that is
 * also a property of the element has a type that property accepts (React 19 and Vue 3 assign it
 * to the property). The second check is made by the compiler: `tsc` names the prop that drifted.
 */

/** Every prop of AgentChatProps that has an attribute form (`strings` is a property only). */
const TYPED_ATTRIBUTES = [
  'server', 'workflow', 'theme', 'accent', 'mode', 'open', 'public-key', 'user-token', 'title', 'subtitle', 'greeting',
  'starters', 'placeholder', 'launcher-label', 'position', 'radius', 'density', 'font', 'lang', 'history', 'feedback',
] as const satisfies readonly (keyof AgentChatProps)[];

type Untyped = Exclude<keyof AgentChatProps, (typeof TYPED_ATTRIBUTES)[number] | 'strings'>;
/** Fails to compile, naming the prop, when AgentChatProps gains an attribute the list above lacks. */
export const listIsComplete: [Untyped] extends [never] ? true : Untyped = true;

type CamelCase<S extends string> = S extends `${infer Head}-${infer Tail}` ? `${Head}${Capitalize<CamelCase<Tail>>}` : S;
type ByProperty = { [K in keyof AgentChatProps as CamelCase<K & string>]: AgentChatProps[K] };
type Shared = keyof ByProperty & keyof AgentChat;
/** Props whose type the element's property of the same name does not accept. */
type Drifted = { [K in Shared]-?: Exclude<ByProperty[K], undefined> extends Readonly<AgentChat[K]> ? never : K }[Shared];
/** Fails to compile, naming the prop, when a framework type and the element's property disagree. */
export const typesMatchTheElement: [Drifted] extends [never] ? true : Drifted = true;

describe('framework props', () => {
  it('types every attribute <agent-chat> observes', () => {
    const observed = (AgentChat as unknown as { observedAttributes: string[] }).observedAttributes;
    expect(observed).to.include.members(['server', 'workflow', 'theme', 'mode', 'open', 'public-key', 'user-token']);
    const untyped = observed.filter((name) => !(TYPED_ATTRIBUTES as readonly string[]).includes(name));
    expect(untyped, 'attributes without a type in widget/src/frameworks/agent-chat-props.ts').to.deep.equal([]);
  });
});
