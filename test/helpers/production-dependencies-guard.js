// Loaded with `node --require` before a compiled worker: every package the process resolves from
// node_modules must be in the production tree (`npm ls --omit=dev`), which is what `npm ci --omit=dev`
// installs in the image. A runtime import of a development dependency fails here as it would there.
const Module = require('node:module');
const { readFileSync } = require('node:fs');
const { sep } = require('node:path');

const allowed = new Set(readFileSync(process.env.CAMPAIGN_SYNC_PRODUCTION_PACKAGES, 'utf8').split('\n').filter(Boolean));
const marker = `${sep}node_modules${sep}`;

/** The package folder a resolved file belongs to (the innermost node_modules entry). */
function packageRoot(file) {
  const at = file.lastIndexOf(marker);
  if (at === -1) return undefined;
  const rest = file.slice(at + marker.length).split(sep);
  const name = rest[0].startsWith('@') ? `${rest[0]}${sep}${rest[1]}` : rest[0];
  return file.slice(0, at + marker.length) + name;
}

const resolve = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  const file = resolve.call(this, request, ...rest);
  const root = packageRoot(file);
  if (root !== undefined && !allowed.has(root)) {
    throw new Error(`${request} resolved to ${root}, which npm ci --omit=dev does not install (a development dependency)`);
  }
  return file;
};
