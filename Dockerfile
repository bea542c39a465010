# One image for every IntroEval service; the command picks the service (apps/<name>/dist/main.js): gateway, upload,
# transcription, extraction, rating, scheduler, status.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
# Every workspace's package.json before `npm install`, so npm links each one (a workspace missing here would be
# dropped from node_modules/@introeval and from the lock's view of the tree).
COPY apps/cli/package.json apps/cli/
COPY apps/gateway/package.json apps/gateway/
COPY apps/upload/package.json apps/upload/
COPY apps/transcription/package.json apps/transcription/
COPY apps/extraction/package.json apps/extraction/
COPY apps/rating/package.json apps/rating/
COPY apps/scheduler/package.json apps/scheduler/
COPY apps/status/package.json apps/status/
# All libs, whole: their sources (lease, residency, engines, ...) and their data, such as the rubric the rating
# stage loads by default (libs/engines/rubric/, found next to libs/engines/dist).
COPY libs libs
COPY e2e/package.json e2e/
COPY scripts scripts
COPY .swcrc ./
# The status API's source of truth: the build generates its TypeScript from it (buf + ts-proto), and the gRPC server
# and clients load it at run time.
COPY proto proto
COPY buf.yaml buf.gen.yaml ./
# npm install, not npm ci: see scripts/lib/npm-deps.mjs
RUN npm install --no-audit --no-fund
COPY apps apps
RUN node scripts/build.mjs && npm prune --omit=dev
# Fail the build, not the first boot, when something a service loads is missing from the image.
RUN for app in gateway upload transcription extraction rating scheduler status; do \
      test -f "apps/$app/dist/main.js" || { echo "missing apps/$app/dist/main.js" >&2; exit 1; }; \
    done \
  && for lib in libs/*/; do \
      test -f "${lib}dist/index.js" || { echo "missing ${lib}dist/index.js" >&2; exit 1; }; \
    done \
  && ls libs/engines/rubric/*.json proto/introeval/status/v1/status.proto >/dev/null

FROM node:20-bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends ffmpeg pocketsphinx pocketsphinx-en-us \
  && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY --from=build /app /app
ENV NODE_ENV=production WORK_DIR=/tmp/introeval
USER node
ENTRYPOINT ["node", "--enable-source-maps"]
CMD ["apps/gateway/dist/main.js"]
