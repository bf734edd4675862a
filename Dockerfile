# syntax=docker/dockerfile:1
# agent-chat in a container: the release steps of docs/deploy.md, in two stages.
# NOTE: this image has not been built by the project (its machines have no Docker engine); every
# step is one docs/deploy.md describes, and those were run by hand there.
#   docker build -t agent-chat .
#   docker run -d --name agent-chat -p 127.0.0.1:8787:8787 -v agent-chat-data:/data \
#     -v /srv/workflows:/workflows:ro --env-file /etc/agent-chat/agent-chat.env --stop-timeout 30 agent-chat

ARG NODE_IMAGE=node:20-bookworm-slim

# ---- build: every dependency, then `npm run build` (server/dist, widget/dist/widget.js and console/dist/console.js)
FROM ${NODE_IMAGE} AS build
# better-sqlite3 compiles from source when no prebuilt binary fits this platform.
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
RUN npm install --global pnpm@10.34.9
WORKDIR /app
# The manifests first, so this layer is reused until a dependency changes.
COPY package.json pnpm-lock.yaml pnpm-workspace.yaml ./
COPY server/package.json server/
COPY shared/package.json shared/
COPY widget/package.json widget/
COPY console/package.json console/
COPY demo/package.json demo/
RUN pnpm install --frozen-lockfile
COPY . .
RUN npm run build
# Production dependencies only. In a pnpm workspace that means: remove every node_modules and
# install again with --prod (from the store this stage already filled: no network).
RUN rm -rf node_modules server/node_modules shared/node_modules widget/node_modules console/node_modules demo/node_modules \
 && pnpm install --prod --frozen-lockfile --offline

# ---- runtime: the release and its production dependencies, run as a non-root user
FROM ${NODE_IMAGE}
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=8787 \
    DATA_DIR=/data \
    WORKFLOWS_DIR=/workflows
WORKDIR /app
# Owned by root: the server may read its code but not change it.
COPY --from=build /app ./
RUN mkdir -p /data && chown node:node /data
# The SQLite database (agent-chat.db and its WAL). Unused with DATABASE_URL (PostgreSQL).
VOLUME /data
USER node
EXPOSE 8787
# /health answers while the process serves (liveness); /ready also checks the database.
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 8787) + '/health').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# SIGTERM starts the graceful shutdown (SHUTDOWN_GRACE_MS, 10 s by default). `docker stop`
# waits only 10 s before SIGKILL: run with --stop-timeout 30 (compose: stop_grace_period: 30s).
STOPSIGNAL SIGTERM
CMD ["node", "server/dist/cli.js", "serve"]
