# One image for every region: `docker run <image> region --config regions/<region>.yaml …` (see docker-compose.yml).
FROM node:20-slim

WORKDIR /app

# Dependencies first, so editing the sources does not reinstall them. tsx, which loads the
# TypeScript sources at run time (there is no build step), is in "dependencies", so the
# production install is complete; lmdb and esbuild ship prebuilt binaries for linux x64 and arm64.
COPY package.json package-lock.json ./
RUN npm ci --omit=dev && npm cache clean --force

COPY tsconfig.json ./
COPY bin ./bin
COPY src ./src
COPY regions ./regions

# A named volume mounted on /data takes this directory's owner, so the unprivileged user can write it.
RUN mkdir -p /data && chown node:node /data
USER node

EXPOSE 8001 8002 8003
ENTRYPOINT ["node", "bin/globaltables.js"]
CMD ["--help"]
