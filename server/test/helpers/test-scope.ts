import { afterEach } from 'vitest';
import type WebSocket from 'ws';
import { type TestServer, type TestServerOptions, removeDir, startTestServer } from './test-server.ts';
import { TestClient } from './ws-client.ts';

/**
 * Servers, sockets and data directories opened by the tests of one `describe`, all closed and
 * removed after each test. Call it inside the `describe`.
 */
export function useTestScope() {
  const servers: TestServer[] = [];
  const clients: TestClient[] = [];
  /** Data directories to remove after the test (servers' own are added automatically). */
  const dirs: string[] = [];
  afterEach(async () => {
    for (const c of clients.splice(0)) c.ws.terminate();
    for (const s of servers.splice(0)) await s.close();
    for (const d of new Set(dirs.splice(0))) removeDir(d);
  });
  return {
    dirs,
    /** Starts a server (the real stack unless `options` say otherwise). */
    async boot(options: TestServerOptions = {}): Promise<TestServer> {
      const s = await startTestServer(options);
      servers.push(s);
      dirs.push(s.dataDir);
      return s;
    },
    /** Connects and completes the handshake, as the visitor `visitorToken` names (a new one without). */
    async connect(s: Pick<TestServer, 'wsUrl'>, visitorToken?: string) {
      const opened = await TestClient.open(s.wsUrl, visitorToken ? { visitorToken } : {});
      clients.push(opened.client);
      return opened;
    },
    /** A raw socket with no handshake yet. */
    async socket(s: Pick<TestServer, 'wsUrl'>, options: WebSocket.ClientOptions = {}): Promise<TestClient> {
      const c = await TestClient.connect(s.wsUrl, options);
      clients.push(c);
      return c;
    },
  };
}
