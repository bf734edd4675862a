/** Where the console is, from the URL's hash: `#/conversations`, `#/conversations/<id>`, `#/workflows/<id>`, `#/connectors`. */
export type Route =
  | { view: 'conversations' }
  | { view: 'transcript'; threadId: string }
  | { view: 'workflows'; workflowId?: string }
  | { view: 'connectors' };

export function parseRoute(hash: string): Route {
  const [view, id] = hash.replace(/^#\/?/, '').split('/').map((part) => decodeURIComponent(part));
  if (view === 'conversations' && id) return { view: 'transcript', threadId: id };
  if (view === 'workflows') return id ? { view: 'workflows', workflowId: id } : { view: 'workflows' };
  if (view === 'connectors') return { view: 'connectors' };
  return { view: 'conversations' };
}

export function routeHref(route: Route): string {
  switch (route.view) {
    case 'transcript':
      return `#/conversations/${encodeURIComponent(route.threadId)}`;
    case 'workflows':
      return route.workflowId ? `#/workflows/${encodeURIComponent(route.workflowId)}` : '#/workflows';
    default:
      return `#/${route.view}`;
  }
}
