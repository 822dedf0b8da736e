FROM node:20-bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends ffmpeg espeak-ng && rm -rf /var/lib/apt/lists/*
WORKDIR /app
# .dockerignore keeps .env, node_modules and local media out of the build context.
COPY . .
RUN npm ci && npm run build -- --filter=@vitranslator/web
ENV NODE_ENV=production STORAGE_DIR=/data
# The services run unprivileged; the media volume and the model folder start owned by them.
RUN mkdir -p /data /app/models && chown node:node /data /app/models
USER node
