import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, describeModelMode, loadConfig } from '../src/config.ts';

function problems(env: Record<string, string>): string[] {
  try {
    loadConfig(env, '/srv');
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe('loadConfig', () => {
  it('Should apply the documented defaults', () => {
    const config = loadConfig({}, '/srv');
    expect(config).toMatchObject({
      port: 8787,
      host: '127.0.0.1',
      dataDir: '/srv/data',
      workflowsDir: '/srv/workflows',
      openaiApiKey: undefined,
      openaiBaseUrl: undefined,
      offlineModelDelayMs: 25,
      secret: undefined,
      limits: { maxMessageChars: 8000 },
    });
  });

  it('Should read every variable, resolve relative paths against cwd, and treat empty values as unset', () => {
    const config = loadConfig(
      {
        PORT: '0', HOST: '0.0.0.0', DATA_DIR: 'var/db', WORKFLOWS_DIR: '/etc/flows', OPENAI_API_KEY: 'sk-test',
        OPENAI_BASE_URL: 'http://localhost:11434/v1', OFFLINE_MODEL_DELAY_MS: '0', SECRET: 's'.repeat(32), MAX_MESSAGE_CHARS: '',
      },
      '/srv',
    );
    expect(config).toMatchObject({
      port: 0, host: '0.0.0.0', dataDir: '/srv/var/db', workflowsDir: '/etc/flows', openaiApiKey: 'sk-test',
      openaiBaseUrl: 'http://localhost:11434/v1', offlineModelDelayMs: 0, secret: 's'.repeat(32), limits: { maxMessageChars: 8000 },
    });
  });

  it('Should name each bad variable in its error', () => {
    expect(problems({ PORT: '70000' })).toEqual(['PORT: must be an integer between 0 and 65535']);
    expect(problems({ PORT: 'eighty' })).toEqual(['PORT: must be an integer between 0 and 65535']);
    expect(problems({ OFFLINE_MODEL_DELAY_MS: '-5' })).toEqual(['OFFLINE_MODEL_DELAY_MS: must be an integer between 0 and 10000']);
    expect(problems({ OPENAI_BASE_URL: 'localhost:11434' })[0]).toMatch(/^OPENAI_BASE_URL: must be an http\(s\) URL/);
    expect(problems({ SECRET: 'short' })).toEqual(['SECRET: must be at least 32 characters']);
    expect(problems({ PORT: '-1', MAX_MESSAGE_CHARS: '0' })).toHaveLength(2);
    expect(() => loadConfig({ PORT: 'x' })).toThrow(/Invalid configuration:\n {2}PORT: must be an integer/);
  });

  it('Should read the upload limits, types, quota, time to live and directory', () => {
    const defaults = loadConfig({}, '/srv');
    expect(defaults.limits).toEqual({
      maxMessageChars: 8000,
      maxFileBytes: 10 * 1024 * 1024,
      maxFilesPerMessage: 4,
      acceptedTypes: ['image/png', 'image/jpeg', 'image/gif', 'image/webp', 'application/pdf', 'text/plain', 'text/markdown', 'text/csv', 'application/json'],
    });
    expect(defaults).toMatchObject({ uploadsDir: undefined, unsentUploadTtlMinutes: 60, quotas: { uploadBytesPerIdentity: 100 * 1024 * 1024 } });
    const set = loadConfig(
      { MAX_FILE_BYTES: '2048', MAX_FILES_PER_MESSAGE: '0', ACCEPTED_TYPES: ' IMAGE/PNG ,application/pdf,image/png', UPLOAD_QUOTA_BYTES: '0', UNSENT_UPLOAD_TTL_MINUTES: '5', UPLOADS_DIR: 'files' },
      '/srv',
    );
    expect(set.limits).toMatchObject({ maxFileBytes: 2048, maxFilesPerMessage: 0, acceptedTypes: ['image/png', 'application/pdf'] });
    expect(set).toMatchObject({ uploadsDir: '/srv/files', unsentUploadTtlMinutes: 5, quotas: { uploadBytesPerIdentity: 0 } });
    expect(problems({ ACCEPTED_TYPES: 'image/png,text/html' })[0]).toMatch(/^ACCEPTED_TYPES: must be a comma-separated list of: image\/png/);
    expect(problems({ ACCEPTED_TYPES: ' , ' })[0]).toMatch(/^ACCEPTED_TYPES: /);
    expect(problems({ MAX_FILE_BYTES: '0' })).toEqual(['MAX_FILE_BYTES: must be an integer between 1 and 1073741824']);
  });

  it('Should describe the model mode', () => {
    expect(describeModelMode({ openaiApiKey: undefined, openaiBaseUrl: undefined })).toMatch(/offline/);
    expect(describeModelMode({ openaiApiKey: 'sk', openaiBaseUrl: undefined })).toBe('OpenAI');
    expect(describeModelMode({ openaiApiKey: undefined, openaiBaseUrl: 'http://x/v1' })).toMatch(/http:\/\/x\/v1/);
  });

  it('Should take a PostgreSQL DATABASE_URL, and the log level and format', () => {
    expect(loadConfig({}, '/srv')).toMatchObject({ databaseUrl: undefined, logLevel: 'info', logFormat: undefined });
    expect(loadConfig({ DATABASE_URL: 'postgres://chat:pw@db:5432/agent_chat', LOG_LEVEL: 'warn', LOG_FORMAT: 'json' }, '/srv')).toMatchObject({
      databaseUrl: 'postgres://chat:pw@db:5432/agent_chat',
      logLevel: 'warn',
      logFormat: 'json',
    });
    expect(loadConfig({ DATABASE_URL: 'postgresql://localhost/x' }, '/srv').databaseUrl).toBe('postgresql://localhost/x');
    expect(problems({ DATABASE_URL: 'mysql://db/x' })[0]).toMatch(/^DATABASE_URL: must be a PostgreSQL URL/);
    // The message never echoes the value (it may hold a password).
    expect(problems({ DATABASE_URL: 'sqlite:///secret-password' })[0]).not.toContain('secret-password');
    expect(problems({ LOG_FORMAT: 'xml' })).toEqual(['LOG_FORMAT: must be json or pretty']);
  });

  it('Should bound MAX_REPLAY_EVENTS (how far behind a resume may replay events)', () => {
    expect(loadConfig({}, '/srv').maxReplayEvents).toBe(1000);
    expect(loadConfig({ MAX_REPLAY_EVENTS: '50' }, '/srv').maxReplayEvents).toBe(50);
    expect(problems({ MAX_REPLAY_EVENTS: '20000' })).toEqual(['MAX_REPLAY_EVENTS: must be an integer between 1 and 10000']);
  });
});
