// The admin surface changes the simulator's state and faults. When a token is configured
// (`--admin-token`, CAMPAIGN_SYNC_SIMULATOR_ADMIN_TOKEN, or `adminToken`), every admin request must
// carry `Authorization: Bearer <token>`; the comparison takes the same time whatever the guess.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

const digest = (text: string): Buffer => createHash('sha256').update(text).digest();

/** True when no token is configured or the request carries it. */
export function adminAuthorized(req: IncomingMessage, token: string | undefined): boolean {
  if (token === undefined) return true;
  const header = req.headers.authorization ?? '';
  return timingSafeEqual(digest(header), digest(`Bearer ${token}`));
}

/** Request headers that pass the admin check for a token (none without one). */
export function adminHeaders(token: string | undefined): Record<string, string> {
  return token === undefined ? {} : { authorization: `Bearer ${token}` };
}
