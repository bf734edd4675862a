import type { AdminConnector, AdminConnectorList, AdminWorkflow, AdminWorkflowList } from '@agent-chat/shared';
import { needsApproval } from '@agent-chat/shared';
import { Hono } from 'hono';
import type { ConnectorRegistry } from '../connectors/connector-registry.ts';
import type { Logger } from '../logger.ts';
import { type AdminEnv, type AdminScope } from './admin-scope.ts';

export interface WorkflowRoutesOptions {
  /** Every workflow as a graph, by id, in load order. */
  graphs: ReadonlyMap<string, AdminWorkflow>;
  connectors: ConnectorRegistry | undefined;
  log: Logger;
}

/** The workflows a scope may see: all for the operator, a site's allowed ones for its key. */
function visibleWorkflows(scope: AdminScope, graphs: ReadonlyMap<string, AdminWorkflow>): AdminWorkflow[] {
  const all = [...graphs.values()];
  return scope.kind === 'operator' ? all : all.filter((w) => scope.site.allowedWorkflows.has(w.id));
}

/**
 * `GET /workflows`: each workflow as a graph with its check's problems and its JSON;
 * `GET /connectors`: each MCP connector's status and, once connected, its tools (listing an idle
 * one would start it, so that is left to its first use). A site's key sees the workflows it may
 * use and the connectors they name, without the operator's error details.
 */
export function workflowRoutes({ graphs, connectors, log }: WorkflowRoutesOptions): Hono<AdminEnv> {
  const route = new Hono<AdminEnv>();

  route.get('/workflows', (c) => {
    const body: AdminWorkflowList = { workflows: visibleWorkflows(c.get('scope'), graphs) };
    return c.json(body);
  });

  route.get('/connectors', async (c) => {
    const scope = c.get('scope');
    const workflows = visibleWorkflows(scope, graphs);
    const usedBy = (id: string) => workflows.filter((w) => w.agents.some((a) => a.tools.some((t) => t.kind === 'mcp' && t.name === id))).map((w) => w.id);
    const list = (connectors?.list() ?? []).filter((connector) => scope.kind === 'operator' || usedBy(connector.id).length > 0);
    const out: AdminConnector[] = await Promise.all(
      list.map(async (connector) => {
        const status = connector.status();
        let tools: AdminConnector['tools'] = null;
        if (status.state === 'ready') {
          try {
            tools = (await connector.listTools()).map((t) => ({
              name: t.name,
              ...(t.title !== undefined ? { title: t.title } : {}),
              description: t.description,
              needsApproval: needsApproval(connector.spec, t.name),
            }));
          } catch (error) {
            log.warn('admin: listing a connector’s tools failed', error, { connector: connector.id });
          }
        }
        const after = connector.status();
        return {
          id: after.id,
          ...(connector.spec.description !== undefined ? { description: connector.spec.description } : {}),
          transport: after.transport,
          state: after.state,
          since: after.since,
          consecutiveFailures: after.consecutiveFailures,
          // The operator's detail: it may name hosts or commands a site has no business seeing.
          ...(after.lastError !== undefined && scope.kind === 'operator' ? { lastError: after.lastError } : {}),
          approval: connector.spec.approval,
          tools,
          usedBy: usedBy(connector.id),
        };
      }),
    );
    const body: AdminConnectorList = { connectors: out };
    return c.json(body);
  });

  return route;
}
