import { createServer, type Server } from 'node:http';
import { handleAdmin } from '../admin/routes';
import type { DispatchDeps } from '../soap/dispatch';
import { handleSoap, isSoapPath, send } from './soap-route';

export interface ServerDeps extends DispatchDeps {
  admin: boolean;
  maxBodyBytes: number;
}

/** Routes /soap11/Rpc<Name> to SOAP, /admin/ to the admin surface (only when enabled), else 404. */
export function createSimulatorServer(deps: ServerDeps): Server {
  return createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://simulator');
    const work = isSoapPath(url.pathname)
      ? handleSoap(deps, req, res, url)
      : deps.admin && url.pathname.startsWith('/admin/')
        ? handleAdmin(deps.sim, req, res, url, deps.maxBodyBytes)
        : Promise.resolve(send(res, 404, 'text/plain', 'Not found'));
    work.catch((error: unknown) => {
      deps.onInternalError(error, url.pathname);
      if (!res.headersSent) send(res, 500, 'text/plain', 'Internal error');
    });
  });
}
