/**
 * Where the console is, from the URL's hash: `#/conversations`, `#/conversations/<id>`,
 * `#/conversations/<id>/runs/<runId>` (a run's trace), `#/workflows/<id>`, `#/connectors`, `#/usage`,
 * `#/evals`, `#/evals/<id>` (an eval run).
 */
export type Route =
  | { view: 'conversations' }
  | { view: 'transcript'; threadId: string }
  | { view: 'trace'; threadId: string; runId: string }
  | { view: 'workflows'; workflowId?: string }
  | { view: 'connectors' }
  | { view: 'usage' }
  | { view: 'evals'; runId?: string };

export function parseRoute(hash: string): Route {
  const [view, id, sub, runId] = hash.replace(/^#\/?/, '').split('/').map((part) => decodeURIComponent(part));
  if (view === 'conversations' && id && sub === 'runs' && runId) return { view: 'trace', threadId: id, runId };
  if (view === 'conversations' && id) return { view: 'transcript', threadId: id };
  if (view === 'workflows') return id ? { view: 'workflows', workflowId: id } : { view: 'workflows' };
  if (view === 'connectors') return { view: 'connectors' };
  if (view === 'usage') return { view: 'usage' };
  if (view === 'evals') return id ? { view: 'evals', runId: id } : { view: 'evals' };
  return { view: 'conversations' };
}

export function routeHref(route: Route): string {
  switch (route.view) {
    case 'transcript':
      return `#/conversations/${encodeURIComponent(route.threadId)}`;
    case 'trace':
      return `#/conversations/${encodeURIComponent(route.threadId)}/runs/${encodeURIComponent(route.runId)}`;
    case 'workflows':
      return route.workflowId ? `#/workflows/${encodeURIComponent(route.workflowId)}` : '#/workflows';
    case 'evals':
      return route.runId ? `#/evals/${encodeURIComponent(route.runId)}` : '#/evals';
    default:
      return `#/${route.view}`;
  }
}
