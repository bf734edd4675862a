// Type-checked only (never imported by the app): what the JSX types of <agent-chat> refuse.
// `tsc` fails if any line below stops being an error, so the types cannot silently turn `any`.
import '@agent-chat/widget/react';
import { useRef } from 'react';
import type { AgentChat } from '@agent-chat/widget';

export function Refused() {
  const ref = useRef<AgentChat>(null);
  return (
    <>
      {/* @ts-expect-error theme is light | dark | auto */}
      <agent-chat theme="blue" />
      {/* @ts-expect-error open is a boolean, not a string */}
      <agent-chat open="yes" />
      {/* @ts-expect-error position is bottom-right | bottom-left */}
      <agent-chat position="top-left" />
      {/* @ts-expect-error starters is an array of strings */}
      <agent-chat starters={[1, 2]} />
      {/* @ts-expect-error no such attribute */}
      <agent-chat thme="dark" />
      {/* @ts-expect-error the ready event's detail has threadId and workflow, not status */}
      <agent-chat onagent-chat-ready={(event) => event.detail.status} />
      {/* @ts-expect-error a connection status is a string, not a number */}
      <agent-chat onagent-chat-connection={(event) => event.detail.status.toFixed()} />
      <agent-chat
        ref={ref}
        class="chat"
        public-key="pk_live"
        user-token="jwt"
        launcher-label="Chat with us"
        open
        history
        feedback
        density="compact"
        position="bottom-left"
        strings={{ send: 'Envoyer' }}
        server="https://chat.example.com"
        workflow="support"
        theme="dark"
        accent="#1f7a5c"
        mode="launcher"
        title="Help"
        subtitle="We answer in minutes"
        greeting="Hi! How can we help?"
        starters={['Where is my order?'] as const}
        placeholder="Ask anything"
        radius="8px"
        font="Inter, sans-serif"
        lang="de"
        onagent-chat-feedback={(event) => event.detail.rating satisfies 'up' | 'down'}
        onagent-chat-error={(event) => event.detail.message.trim()}
      />
    </>
  );
}

// The element and its events outside JSX: HTMLElementTagNameMap and the event map.
export function listen(): void {
  const chat = document.querySelector('agent-chat');
  chat?.addEventListener('agent-chat-upload', (event) => event.detail.attachment.name.trim());
  // @ts-expect-error an upload's detail is { attachment }, not { file }
  chat?.addEventListener('agent-chat-upload', (event) => event.detail.file);
  // @ts-expect-error theme is light | dark | auto
  if (chat) chat.theme = 'blue';
}
