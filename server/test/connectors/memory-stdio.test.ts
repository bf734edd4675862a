import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { McpConnector } from '../../src/connectors/mcp-connector.ts';
import { createMemoryLogger } from '../../src/testing/memory-logger.ts';
import { MEMORY_SERVER, nodeStdioSpec } from '../helpers/mcp-servers.ts';
import { removeDir, tempDataDir } from '../helpers/temp-dir.ts';

/** The reference "memory" MCP server over stdio: state kept by a real server, in the file its env names. */
describe('McpConnector: the memory server over stdio', () => {
  const dirs: string[] = [];
  const open: McpConnector[] = [];
  afterEach(async () => {
    await Promise.all(open.splice(0).map((c) => c.close()));
    for (const d of dirs.splice(0)) removeDir(d);
  });

  it('creates entities, then reads and searches them; the file comes from a host variable the spec maps', async () => {
    const dir = tempDataDir();
    dirs.push(dir);
    const file = join(dir, 'memory.jsonl');
    const connector = new McpConnector(nodeStdioSpec('memory', MEMORY_SERVER, { env: { MEMORY_FILE_PATH: { env: 'SUPPORT_MEMORY_FILE' } } }), {
      env: { SUPPORT_MEMORY_FILE: file },
      log: createMemoryLogger(),
    });
    open.push(connector);

    const names = (await connector.listTools()).map((t) => t.name);
    expect(names).toEqual(expect.arrayContaining(['create_entities', 'read_graph', 'search_nodes', 'open_nodes']));

    const entities = [
      { name: 'Order 1042', entityType: 'order', observations: ['shipped on Monday', 'two items'] },
      { name: 'Ada', entityType: 'customer', observations: ['prefers email'] },
    ];
    const created = await connector.callTool('create_entities', { entities });
    expect(created.isError).toBe(false);
    // Structured content is the output; the server's JSON text repeating it is dropped.
    expect(created.output).toEqual({ entities });

    const graph = await connector.callTool('read_graph', {});
    expect(graph.output).toEqual({ entities, relations: [] });

    const found = await connector.callTool('search_nodes', { query: 'email' });
    expect(found.output).toMatchObject({ entities: [{ name: 'Ada', entityType: 'customer' }] });

    expect(existsSync(file)).toBe(true);
    expect(readFileSync(file, 'utf8')).toContain('Order 1042');
  });
});
