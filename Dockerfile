# One image for every IntroEval service; the command picks the service (apps/<name>/dist/main.js).
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
COPY apps/cli/package.json apps/cli/
COPY apps/gateway/package.json apps/gateway/
COPY apps/upload/package.json apps/upload/
COPY apps/transcription/package.json apps/transcription/
COPY apps/extraction/package.json apps/extraction/
COPY apps/rating/package.json apps/rating/
COPY libs libs
COPY e2e/package.json e2e/
COPY scripts scripts
COPY .swcrc ./
# npm install, not npm ci: see scripts/lib/npm-deps.mjs
RUN npm install --no-audit --no-fund
COPY apps apps
RUN node scripts/build.mjs && npm prune --omit=dev

FROM node:20-bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends ffmpeg pocketsphinx pocketsphinx-en-us \
  && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY --from=build /app /app
ENV NODE_ENV=production WORK_DIR=/tmp/introeval
USER node
ENTRYPOINT ["node", "--enable-source-maps"]
CMD ["apps/gateway/dist/main.js"]
