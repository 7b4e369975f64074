// Routing looks at the path exactly as sent, and only a canonical one is routed: URL parsing would
// resolve `/soap11/RpcRecipient/../../admin/faults` (or its %2e%2e spelling) to `/admin/faults`, so a
// request that names a SOAP path could reach the admin surface. Dot segments, empty segments,
// percent-encoding and backslashes have no place in any path the simulator serves.
const SEGMENT = /^[A-Za-z0-9_~-][A-Za-z0-9._~-]*$/;

/** The request target's path when it is canonical, else undefined (answered 400). */
export function canonicalPath(target: string): string | undefined {
  const query = target.indexOf('?');
  const path = query < 0 ? target : target.slice(0, query);
  if (path === '/') return path;
  if (!path.startsWith('/') || path.length > 2048) return undefined;
  const segments = path.slice(1).split('/');
  // A trailing slash leaves one empty last segment, which routes accept (`/soap11/RpcRecipient/`).
  const last = segments.length - 1;
  const ok = segments.every(
    (segment, i) => (segment === '' && i === last && i > 0) || (SEGMENT.test(segment) && segment !== '.' && segment !== '..'),
  );
  return ok ? path : undefined;
}
