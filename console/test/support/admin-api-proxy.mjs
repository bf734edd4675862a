// A web-test-runner (Koa) middleware that forwards `/v1/admin/*` from the test page's origin to
// the REAL agent-chat server (method, key, body), status, headers and body as they are: the console under test calls
// the admin API on its own origin, as it does when the server itself serves it at /console.

/** `target()` is the real server's base URL (`http://127.0.0.1:PORT`). */
export function adminApiProxy(target) {
  return async function forwardAdminApi(ctx, next) {
    if (!ctx.path.startsWith('/v1/admin/')) return next();
    const headers = {};
    for (const name of ['authorization', 'content-type', 'origin']) if (ctx.get(name)) headers[name] = ctx.get(name);
    const body = ctx.method === 'GET' || ctx.method === 'HEAD' ? undefined : await readBody(ctx.req);
    const answer = await fetch(`${target()}${ctx.url}`, { method: ctx.method, headers, ...(body ? { body } : {}) });
    ctx.status = answer.status;
    const type = answer.headers.get('content-type');
    if (type) ctx.set('content-type', type);
    ctx.body = Buffer.from(await answer.arrayBuffer());
  };
}

/** The request's body, whole. */
async function readBody(req) {
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  return Buffer.concat(chunks);
}
