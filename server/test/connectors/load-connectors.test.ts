import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ConnectorSpec, isToolOffered, needsApproval } from '@agent-chat/shared';
import { afterEach, describe, expect, it } from 'vitest';
import { ConnectorsLoadError, connectorsProblems, loadConnectors } from '../../src/connectors/load-connectors.ts';
import { removeDir, tempDataDir } from '../helpers/temp-dir.ts';

describe('the connectors file', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) removeDir(d);
  });

  function fileWith(content: unknown): string {
    const dir = tempDataDir();
    dirs.push(dir);
    const file = join(dir, 'connectors.json');
    writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content, null, 2));
    return file;
  }

  function problemsOf(run: () => unknown): string[] {
    try {
      run();
    } catch (error) {
      if (error instanceof ConnectorsLoadError) return error.problems;
      throw error;
    }
    throw new Error('expected a ConnectorsLoadError');
  }

  it('loads a good file with the defaults filled in', () => {
    const file = fileWith({
      connectors: [
        { id: 'crm', description: 'Customer records', transport: { type: 'http', url: 'https://crm.example.com/mcp', headers: { Authorization: { env: 'CRM_TOKEN', prefix: 'Bearer ' } } } },
        { id: 'files', transport: { type: 'stdio', command: 'npx', args: ['-y', 'some-server'], env: { ROOT: '/srv/files', KEY: { env: 'FILES_KEY' } } }, allow: ['read'], approval: ['write'] },
      ],
    });
    const specs = loadConnectors(file, { CRM_TOKEN: 't', FILES_KEY: 'k' });
    expect(specs[0]).toEqual({
      id: 'crm',
      description: 'Customer records',
      transport: { type: 'http', url: 'https://crm.example.com/mcp', headers: { Authorization: { env: 'CRM_TOKEN', prefix: 'Bearer ' } }, sseFallback: true },
      block: [],
      approval: 'never',
      callTimeoutMs: 30_000,
      maxOutputChars: 16_000,
      toolsCacheMs: 300_000,
      connectOnStart: false,
    });
    // A child runs in the file's directory unless the file says otherwise.
    expect(specs[1]!.transport).toEqual({ type: 'stdio', command: 'npx', args: ['-y', 'some-server'], env: { ROOT: '/srv/files', KEY: { env: 'FILES_KEY', prefix: '' } }, cwd: dirname(file) });
  });

  it('resolves a relative cwd against the file\'s directory, whatever directory the server runs in', () => {
    const file = fileWith({ connectors: [{ id: 'a', transport: { type: 'stdio', command: 'node', args: ['server.mjs'], cwd: 'mcp' } }, { id: 'b', transport: { type: 'stdio', command: 'node', cwd: '/srv/b' } }] });
    const [a, b] = loadConnectors(file, {});
    expect(a!.transport).toMatchObject({ cwd: join(dirname(file), 'mcp') });
    expect(b!.transport).toMatchObject({ cwd: '/srv/b' });
  });

  it('names the file and the field of every problem', () => {
    const file = fileWith({
      connectors: [
        { id: 'ok', transport: { type: 'stdio', command: 'x' } },
        { id: 'no_underscore', transport: { type: 'stdio', args: [] }, callTimeoutMs: 900_000 },
        { id: 'web', transport: { type: 'http', url: 'ftp://example.com' }, approval: 'sometimes', extra: true },
        { id: 'odd', transport: { type: 'websocket' } },
      ],
    });
    const problems = problemsOf(() => loadConnectors(file, {}));
    expect(problems).toEqual(
      expect.arrayContaining([
        `${file}: connectors[1].id: lowercase letters, digits and - only (at most 32), starting with a letter or digit`,
        `${file}: connectors[1].transport.command: Invalid input: expected string, received undefined`,
        expect.stringMatching(new RegExp(`^${file}: connectors\\[1\\]\\.callTimeoutMs: .*600000`)),
        `${file}: connectors[2].transport.url: must be an http:// or https:// URL`,
        `${file}: connectors[2].approval: must be "always", "never" or a list of tool names`,
        `${file}: connectors[2]: unknown field(s): extra`,
        expect.stringMatching(new RegExp(`^${file}: connectors\\[3\\]\\.transport\\.type: `)),
      ]),
    );
  });

  it('reports duplicate ids, naming the duplicate', () => {
    const file = fileWith({
      connectors: [
        { id: 'crm', transport: { type: 'stdio', command: 'a' } },
        { id: 'crm', transport: { type: 'stdio', command: 'b' } },
      ],
    });
    expect(problemsOf(() => loadConnectors(file, {}))).toEqual([`${file}: connectors[1].id: duplicate connector id "crm"`]);
  });

  it('reports variables the file names that are not set; validate gets them without a throw', () => {
    const file = fileWith({
      connectors: [
        { id: 'crm', transport: { type: 'http', url: 'https://crm.example.com/mcp', headers: { Authorization: { env: 'CRM_TOKEN' } } } },
        { id: 'files', transport: { type: 'stdio', command: 'x', env: { KEY: { env: 'FILES_KEY' }, MODE: 'ro' } } },
      ],
    });
    const expected = [
      `${file}: connectors[0].transport.headers.Authorization: connector "crm" names CRM_TOKEN, which is not set`,
      `${file}: connectors[1].transport.env.KEY: connector "files" names FILES_KEY, which is not set`,
    ];
    expect(problemsOf(() => loadConnectors(file, { FILES_KEY: '' }))).toEqual(expected);
    expect(connectorsProblems(file, {})).toEqual(expected);
    expect(connectorsProblems(file, { CRM_TOKEN: 'a', FILES_KEY: 'b' })).toEqual([]);
  });

  it('reports a file it cannot read or parse', () => {
    expect(connectorsProblems('/nonexistent/connectors.json', {})).toEqual(['/nonexistent/connectors.json: cannot read the connectors file (ENOENT)']);
    const file = fileWith('{ "connectors": [ }');
    expect(connectorsProblems(file, {})[0]).toMatch(new RegExp(`^${file}:1:\\d+: invalid JSON`));
    expect(connectorsProblems(fileWith({ servers: [] }), {})[0]).toMatch(/: connectors: Invalid input: expected array/);
  });
});

describe('allow, block and approval', () => {
  const spec = (fields: Record<string, unknown>) => ConnectorSpec.parse({ id: 'c', transport: { type: 'stdio', command: 'x' }, ...fields });

  it('offers every tool by default, only allowed ones with allow, never blocked ones', () => {
    expect(isToolOffered(spec({}), 'anything')).toBe(true);
    expect(isToolOffered(spec({ allow: ['read'] }), 'read')).toBe(true);
    expect(isToolOffered(spec({ allow: ['read'] }), 'write')).toBe(false);
    expect(isToolOffered(spec({ block: ['write'] }), 'write')).toBe(false);
    expect(isToolOffered(spec({ allow: ['write'], block: ['write'] }), 'write')).toBe(false);
  });

  it('asks for approval never by default, always, or for the tools listed', () => {
    expect(needsApproval(spec({}), 'write')).toBe(false);
    expect(needsApproval(spec({ approval: 'always' }), 'read')).toBe(true);
    expect(needsApproval(spec({ approval: ['write'] }), 'write')).toBe(true);
    expect(needsApproval(spec({ approval: ['write'] }), 'read')).toBe(false);
  });
});
