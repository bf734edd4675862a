/// <reference types="vite/client" />

interface ImportMetaEnv {
  /** Base URL of the agent-chat server the app's chat talks to. */
  readonly VITE_AGENT_CHAT_SERVER?: string;
}
