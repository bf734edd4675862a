/*
 * The console's entry and single-file bundle (console/dist/console.js): importing it defines
 * <agent-console>.
 */
export { AgentConsole } from './console-app.ts';
