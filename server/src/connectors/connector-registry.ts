import type { ConnectorSpec } from '@agent-chat/shared';
import type { Logger } from '../logger.ts';
import { type ConnectorStatus, McpConnector, type McpConnectorOptions } from './mcp-connector.ts';

/** How long `close()` waits for every connector before giving up on the slow ones. */
const CLOSE_WAIT_MS = 5_000;

/** What the registry needs: the options every connector shares, and where status changes go. */
export interface ConnectorRegistryOptions extends Omit<McpConnectorOptions, 'onStatus'> {
  log: Logger;
  onStatus?: (status: ConnectorStatus) => void;
}

/**
 * Every connector of the connectors file, by id. Nothing connects when it is built: each
 * connector connects on first use, or through `connectOnStart()` for those that ask to.
 */
export class ConnectorRegistry {
  private readonly byId: ReadonlyMap<string, McpConnector>;
  private readonly log: Logger;

  constructor(specs: readonly ConnectorSpec[], options: ConnectorRegistryOptions) {
    this.log = options.log;
    this.byId = new Map(specs.map((spec) => [spec.id, new McpConnector(spec, options)]));
  }

  /** The connector with this id, if the file has one. */
  get(id: string): McpConnector | undefined {
    return this.byId.get(id);
  }

  /** Every connector, in file order. */
  list(): McpConnector[] {
    return [...this.byId.values()];
  }

  /** Every connector's status, in file order. */
  statuses(): ConnectorStatus[] {
    return this.list().map((c) => c.status());
  }

  /**
   * Connects (in parallel) the connectors whose spec says `connectOnStart`. A failure is
   * logged, not thrown: the server starts anyway and the connector retries on first use.
   */
  async connectOnStart(): Promise<void> {
    await Promise.all(
      this.list()
        .filter((c) => c.spec.connectOnStart)
        .map((c) =>
          c.connect().catch((error: unknown) => this.log.warn('connector not connected at start-up', error, { connector: c.id })),
        ),
    );
  }

  /** Closes every connector in parallel, waiting at most a few seconds (a stuck child is left to its own SIGKILL). */
  async close(): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), CLOSE_WAIT_MS);
      timer.unref();
    });
    const closed = Promise.allSettled(this.list().map((c) => c.close())).then(() => 'closed' as const);
    const outcome = await Promise.race([closed, timeout]);
    clearTimeout(timer);
    if (outcome === 'timeout') this.log.warn(`connectors still closing after ${CLOSE_WAIT_MS} ms; not waiting longer`);
  }
}
