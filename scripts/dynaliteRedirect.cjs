/**
 * Preloaded into the dynalite suite's mocha (`--require`): its REMOTE mode sends plain http to
 * dynamodb.<region>.amazonaws.com; this sends those requests to the local region instead, at
 * 127.0.0.1:$DYNALITE_PEER_PORT. The signed Host header is left as it was.
 */
'use strict';
const http = require('node:http');

const port = Number(process.env.DYNALITE_PEER_PORT);
if (!port) throw new Error('DYNALITE_PEER_PORT is not set');
const DYNAMODB_HOST = /^dynamodb\.[a-z0-9-]+\.amazonaws\.com$/;

function redirected(options) {
  if (!options || typeof options !== 'object' || options instanceof URL) return options;
  const host = options.hostname || options.host;
  if (typeof host !== 'string' || !DYNAMODB_HOST.test(host)) return options;
  return { ...options, host: '127.0.0.1', hostname: '127.0.0.1', port };
}

const originalRequest = http.request;
http.request = function request(options, ...rest) {
  return originalRequest.call(this, redirected(options), ...rest);
};
