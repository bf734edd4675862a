/**
 * The demo's entry (`npm start`): the agent-chat server composed with the demo shop's
 * workflows, tools and pages, serving the page, the widget bundle and the WebSocket on one
 * port. With no OPENAI_API_KEY every agent runs on the offline model.
 */
import { runServerCli } from '@agent-chat/server';
import { demoEnv, demoServerOptions } from './demo-options.ts';

await runServerCli({ ...demoServerOptions, env: demoEnv() });
