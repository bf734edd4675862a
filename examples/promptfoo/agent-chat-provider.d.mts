/** Types of the Promptfoo provider (agent-chat-provider.mjs), for TypeScript callers and tests. */
export interface AgentChatProviderConfig {
  /** The server's WebSocket URL, e.g. ws://127.0.0.1:8787/v1/ws. */
  url?: string;
  workflow?: string;
  publicKey?: string;
  /** Answer every tool call that waits for approval with this. */
  approve?: boolean;
  timeoutMs?: number;
}

export default class AgentChatProvider {
  constructor(options?: { id?: string; config?: AgentChatProviderConfig });
  id(): string;
  callApi(prompt: string): Promise<{
    output?: string;
    error?: string;
    tokenUsage?: { prompt: number; completion: number; total: number };
    metadata?: Record<string, unknown>;
  }>;
}
