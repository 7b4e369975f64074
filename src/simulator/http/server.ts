import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { adminAuthorized } from '../admin/admin-auth';
import { handleAdmin } from '../admin/routes';
import type { DispatchDeps } from '../soap/dispatch';
import { canonicalPath } from './canonical-path';
import { handleSoap, isSoapPath, send } from './soap-route';

export interface ServerDeps extends DispatchDeps {
  admin: boolean;
  /** When set, the admin surface answers only requests that carry it as a bearer token. */
  adminToken?: string;
  maxBodyBytes: number;
}

/**
 * Routes /soap11/Rpc<Name> to SOAP, /admin/ to the admin surface (only when enabled, and only with
 * the token when one is set), else 404. Only canonical paths are routed (see canonical-path.ts).
 */
export function createSimulatorServer(deps: ServerDeps): Server {
  return createServer((req, res) => {
    const path = canonicalPath(req.url ?? '/');
    if (path === undefined) {
      req.resume();
      return send(res, 400, 'text/plain', 'Bad request: the path is not canonical');
    }
    const url = new URL(req.url ?? '/', 'http://simulator');
    const work = isSoapPath(path)
      ? handleSoap(deps, req, res, url)
      : deps.admin && path.startsWith('/admin/')
        ? admin(deps, req, res, url)
        : Promise.resolve(send(res, 404, 'text/plain', 'Not found'));
    work.catch((error: unknown) => {
      deps.onInternalError(error, url.pathname);
      if (!res.headersSent) send(res, 500, 'text/plain', 'Internal error');
    });
  });
}

function admin(deps: ServerDeps, req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
  if (adminAuthorized(req, deps.adminToken)) return handleAdmin(deps.sim, req, res, url, deps.maxBodyBytes);
  req.resume();
  res.setHeader('WWW-Authenticate', 'Bearer');
  return Promise.resolve(send(res, 401, 'text/plain', 'Unauthorized'));
}
