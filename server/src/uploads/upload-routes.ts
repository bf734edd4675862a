import { Hono, type Context } from 'hono';
import type { MessageLimits } from '../config.ts';
import { AppError, toErrorPayload } from '../errors.ts';
import { siteOfOwner } from '../identity/owner-key.ts';
import { newId } from '../ids.ts';
import type { Logger } from '../logger.ts';
import type { QuotaService } from '../quota/quota-service.ts';
import type { SiteRegistry } from '../sites/site-registry.ts';
import type { Storage } from '../store/storage.ts';
import { cleanFileName } from './file-name.ts';
import { detectFileType } from './file-kind.ts';
import { readMultipartFile } from './read-multipart.ts';
import { UploadError, statusOf } from './upload-error.ts';

/** What the upload routes need. */
export interface UploadRoutesOptions {
  storage: Storage;
  limits: Pick<MessageLimits, 'maxFileBytes' | 'acceptedTypes'>;
  /** Who an upload token belongs to (its owner key), or undefined for a bad or expired one. */
  verifyToken: (token: string | undefined) => string | undefined;
  /** The configured sites; undefined runs open (any origin). */
  sites?: SiteRegistry | undefined;
  /** Counts the owner's stored bytes against its quota; without one there is no quota. */
  quota?: QuotaService | undefined;
  /** How long an unsent upload is kept: when a refused one may be retried. */
  unsentTtlMs: number;
  log: Logger;
  now?: () => Date;
}

/**
 * `POST /v1/uploads` (one file, multipart, streamed and capped) and `GET /v1/uploads/:id`,
 * both authorised with the connection's upload token as `Authorization: Bearer`, and their
 * CORS: a widget runs on its site's pages, the server elsewhere (docs/protocol.md, Uploads).
 */
export function uploadRoutes({ storage, limits, verifyToken, sites, quota, unsentTtlMs, log, now = () => new Date() }: UploadRoutesOptions): Hono {
  const app = new Hono();

  /** CORS for a browser origin the sites allow (any origin when the server runs open). */
  const cors = (c: Context) => {
    const origin = c.req.header('Origin');
    if (origin === undefined || (sites && !sites.isKnownOrigin(origin))) return;
    c.header('Access-Control-Allow-Origin', origin);
    c.header('Vary', 'Origin');
  };

  /** The owner the request's token names; its site must allow the request's origin. */
  const ownerOf = (c: Context): string => {
    const header = c.req.header('Authorization');
    const token = header?.match(/^Bearer\s+(\S+)\s*$/i)?.[1];
    const owner = verifyToken(token);
    if (!owner) throw new UploadError('unauthorized', 401, 'A valid upload token is required (Authorization: Bearer).');
    const origin = c.req.header('Origin');
    const siteId = siteOfOwner(owner);
    const site = siteId === null ? undefined : sites?.get(siteId);
    if (sites && origin !== undefined && (!site || !sites.isOriginAllowed(site, origin))) {
      throw new UploadError('forbidden', 403, 'This origin is not allowed.');
    }
    return owner;
  };

  const answerError = (c: Context, error: unknown) => {
    const status = statusOf(error);
    if (status >= 500) log.error(`HTTP ${c.req.method} ${c.req.path} failed`, error);
    const payload = toErrorPayload(error);
    if (payload.retryAfterMs !== undefined) c.header('Retry-After', String(Math.ceil(payload.retryAfterMs / 1000)));
    return c.json({ error: payload }, status as 400);
  };

  app.options('*', (c) => {
    cors(c);
    c.header('Access-Control-Allow-Methods', 'GET, POST, OPTIONS');
    c.header('Access-Control-Allow-Headers', 'Authorization, Content-Type');
    c.header('Access-Control-Max-Age', '600');
    return c.body(null, 204);
  });

  app.post('/', async (c) => {
    cors(c);
    try {
      const owner = ownerOf(c);
      // Refused early when the owner is already at the quota: nothing is read.
      await quota?.admitUpload(owner, 1, unsentTtlMs);
      const received = await readMultipartFile(c.req.header('Content-Type'), c.req.raw.body, limits.maxFileBytes);
      if (received.bytes.byteLength === 0) throw new UploadError('invalid_request', 400, 'The file is empty.');
      const name = cleanFileName(received.rawName);
      const mime = await detectFileType(received.bytes, name, limits.acceptedTypes);
      const size = received.bytes.byteLength;
      await quota?.admitUpload(owner, size, unsentTtlMs);
      const id = newId('upl');
      await storage.uploads.create({ id, owner, name, mime, size, sha256: received.sha256, createdAt: now().toISOString() }, received.bytes);
      return c.json({ id, name, mime, size }, 201);
    } catch (error) {
      return answerError(c, error);
    }
  });

  app.get('/:id', async (c) => {
    cors(c);
    try {
      const owner = ownerOf(c);
      const id = c.req.param('id');
      const upload = await storage.uploads.get(id);
      // Someone else's file is missing, exactly like one that does not exist.
      const content = upload?.owner === owner ? await storage.uploads.read(id) : undefined;
      if (!upload || !content) throw new AppError('not_found', 'No such upload.');
      const image = upload.mime.startsWith('image/');
      c.header('Content-Type', upload.mime.startsWith('text/') || upload.mime === 'application/json' ? `${upload.mime}; charset=utf-8` : upload.mime);
      c.header('Content-Length', String(content.bytes.byteLength));
      c.header('Content-Disposition', contentDisposition(image ? 'inline' : 'attachment', upload.name));
      c.header('X-Content-Type-Options', 'nosniff');
      c.header('Content-Security-Policy', "default-src 'none'; sandbox");
      c.header('Cache-Control', 'private, max-age=3600');
      // Read by the widget with fetch (CORS), on its site's origin.
      c.header('Cross-Origin-Resource-Policy', 'cross-origin');
      return c.body(content.bytes as Uint8Array<ArrayBuffer>, 200);
    } catch (error) {
      return answerError(c, error);
    }
  });

  return app;
}

/** `Content-Disposition` with an ASCII fallback name and the real one in RFC 5987 `filename*`. */
export function contentDisposition(kind: 'inline' | 'attachment', name: string): string {
  const fallback = name.replace(/[^\x20-\x7e]/g, '_').replace(/["\\%]/g, '_');
  const encoded = encodeURIComponent(name).replace(/['()*]/g, (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`);
  return `${kind}; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}
