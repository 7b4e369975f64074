# The campaign-sync worker (and the operator CLI: `docker compose exec worker npx campaign-sync status`).
# TypeScript runs through tsx, as in development, so the image holds the sources and no build step.
FROM node:20-bookworm-slim

ENV NODE_ENV=production \
    CAMPAIGN_SYNC_DATA_DIR=/var/lib/campaign-sync
WORKDIR /app

# Dependencies first, so a source change does not reinstall them. better-sqlite3 ships prebuilt binaries.
COPY package.json package-lock.json ./
RUN npm ci --omit=dev && npm cache clean --force

COPY tsconfig.json ./
COPY bin ./bin
COPY src ./src
COPY workflows ./workflows
COPY activities ./activities
COPY deploy ./deploy

RUN mkdir -p /var/lib/campaign-sync && chown node:node /var/lib/campaign-sync
USER node

# 9465: campaign-sync's own metrics; 9464: the Temporal SDK's metrics (both Prometheus text format).
EXPOSE 9464 9465
# SIGTERM lets in-flight batches finish (shutdownGraceTime in src/worker.ts).
STOPSIGNAL SIGTERM
CMD ["node", "--import", "tsx", "src/worker.ts"]
