# The campaign-sync worker (and the operator CLI: `docker compose exec worker npx campaign-sync status`).
# Two stages: the build stage compiles the TypeScript (tsc to dist/) and bundles the workflows once
# (dist/workflow-bundle.js, loaded by the worker instead of bundling at every start); the final stage
# holds the compiled JavaScript and the production dependencies only (no TypeScript, tsx, test
# tools or sources). docs/operations.md ("The image") has the start-up figures.

FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY workflows ./workflows
COPY activities ./activities
COPY scripts/build-workflow-bundle.ts ./scripts/build-workflow-bundle.ts
RUN npm run build

FROM node:20-bookworm-slim
ENV NODE_ENV=production \
    CAMPAIGN_SYNC_DATA_DIR=/var/lib/campaign-sync
WORKDIR /app

# Dependencies first, so a source change does not reinstall them. better-sqlite3 ships prebuilt binaries.
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

COPY bin ./bin
COPY --from=build /app/dist ./dist
COPY deploy ./deploy

RUN mkdir -p /var/lib/campaign-sync && chown node:node /var/lib/campaign-sync
USER node

# 9465: campaign-sync's own metrics; 9464: the Temporal SDK's metrics (both Prometheus text format).
EXPOSE 9464 9465
# SIGTERM lets in-flight batches finish (shutdownGraceTime in src/worker.ts).
STOPSIGNAL SIGTERM
CMD ["node", "dist/src/worker.js"]
