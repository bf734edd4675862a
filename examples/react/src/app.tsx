// Defines <agent-chat> and types it for JSX; import it before anything renders the tag, so React
// sets `open`, `starters`… as properties of the element.
import '@agent-chat/widget/react';
import { useState } from 'react';

/** The agent-chat server; `VITE_AGENT_CHAT_SERVER` at build time, else a local `npm start`. */
const SERVER = import.meta.env.VITE_AGENT_CHAT_SERVER ?? 'http://127.0.0.1:8787';

export function App() {
  const [status, setStatus] = useState('connecting');
  const [threadId, setThreadId] = useState<string | null>(null);

  return (
    <main>
      <h1>Support</h1>
      <p>
        Chat: <output id="chat-status">{status}</output>
        {threadId && <> · thread <code id="chat-thread">{threadId}</code></>}
      </p>
      <agent-chat
        server={SERVER}
        workflow="support"
        mode="inline"
        theme="light"
        accent="#1f7a5c"
        starters={['Where is my order?', 'I was charged twice']}
        style={{ display: 'block', height: 560 }}
        onagent-chat-ready={(event) => {
          setStatus('ready');
          setThreadId(event.detail.threadId);
        }}
        onagent-chat-connection={(event) => setStatus(event.detail.status)}
      />
    </main>
  );
}
