/**
 * A server in a child process, for the crash test: the test SIGKILLs it mid-run. Starts the
 * real stack on DATA_DIR (the demo workflows and tools, the offline model) and prints
 * `LISTENING <ws url>` once it accepts connections.
 */
import { demoEnv, demoServerOptions } from '../../../demo/demo-options.ts';
import { loadConfig } from '../../src/config.ts';
import { createServer } from '../../src/index.ts';
import { silentLogger } from '../../src/logger.ts';

const config = loadConfig(demoEnv({ ...process.env, PORT: '0', HOST: '127.0.0.1' }));
const server = await createServer({ config, ...demoServerOptions, log: silentLogger });
const { url } = await server.listen();
process.stdout.write(`LISTENING ${url.replace(/^http/, 'ws')}/v1/ws\n`);
