/**
 * The demo's entry (`npm start`): the agent-chat server with the demo shop's tools, serving
 * demo/index.html, the widget bundle and the WebSocket on one port. WORKFLOWS_DIR defaults to
 * demo/workflows; with no OPENAI_API_KEY every agent runs on the offline model.
 */
import { runServerCli } from '@agent-chat/server';
import { demoTools } from './tools/index.ts';

await runServerCli({ tools: demoTools });
