import fc from 'fast-check';
import { parseConfig } from '../../../src/config/load-config';
import { demoConfig } from '../../../src/demo/demo-config';
import { ConfigError } from '../../../src/errors/config-error';

// A secret is a reference in the configuration, never a value, and no refusal of the file prints one.
// Accepted before: an Optimizely endpoint or a CRM database URL with its password in it, and a secret
// pasted where the name of its environment variable belongs (`"password": { "env": "<the password>" }`,
// the state store's and an alert channel's URL, the CRM's `urlEnv`), which then printed whole in
// "<name> is not set" on the first call. Wherever it is pasted, the file is refused naming the
// setting, and no problem quotes the secret.

type Raw = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- a file as read, edited in place

const PLACES: Array<{ path: string; put: (raw: Raw, secret: string) => void }> = [
  { path: 'clients.0.password.env', put: (raw, s) => (raw.clients[0].password = { env: s }) },
  { path: 'clients.0.password', put: (raw, s) => (raw.clients[0].password = s) },
  { path: 'store.url.env', put: (raw, s) => (raw.store = { kind: 'postgres', url: { env: s } }) },
  { path: 'store.url', put: (raw, s) => (raw.store = { kind: 'postgres', url: s }) },
  {
    path: 'clients.0.alerts.channels.0.url.env',
    put: (raw, s) => (raw.clients[0].alerts = { channels: [{ kind: 'webhook', url: { env: s } }] }),
  },
  { path: 'clients.0.endpoint', put: (raw, s) => (raw.clients[0].endpoint = `https://api-user:${encodeURIComponent(s)}@api.example.net/`) },
  { path: 'clients.0.endpoint', put: (raw, s) => (raw.clients[0].endpoint = `https://${encodeURIComponent(s)}@api.example.net/`) },
  { path: 'crm.urlEnv', put: (raw, s) => (raw.crm = { kind: 'postgres', urlEnv: s, lists: raw.crm.lists }) },
  {
    path: 'crm.url',
    put: (raw, s) =>
      (raw.crm = { kind: 'postgres', url: `postgres://crm:${encodeURIComponent(s)}@db.example.net/crm`, lists: raw.crm.lists }),
  },
];

// A marker no message holds, and a character no variable's name has, around anything.
const secret = fc.string({ minLength: 1, maxLength: 40 }).map((s) => `Zq7!${s}`);

describe('a secret pasted into the configuration', () => {
  it('is refused naming the setting, and no problem quotes it', () => {
    fc.assert(
      fc.property(fc.nat({ max: PLACES.length - 1 }), secret, (which, value) => {
        const place = PLACES[which]!;
        const raw = JSON.parse(JSON.stringify(demoConfig())) as Raw;
        place.put(raw, value);
        let problems: string[] = [];
        try {
          parseConfig(raw, 'test.json', '/tmp');
        } catch (error) {
          expect(error).toBeInstanceOf(ConfigError);
          problems = (error as ConfigError).problems;
        }
        expect(problems.some((p) => p.startsWith(`${place.path}: `))).toBe(true);
        for (const problem of problems) {
          expect(problem).not.toContain(value);
          expect(problem).not.toContain(encodeURIComponent(value));
          expect(problem).not.toContain('Zq7');
        }
      }),
      { numRuns: 300 },
    );
  });

  it('still loads references by a variable name and URLs without a password', () => {
    const raw = JSON.parse(JSON.stringify(demoConfig())) as Raw;
    raw.clients[0].password = { env: 'CAMPAIGN_SYNC_PASSWORD_2' };
    raw.store = { kind: 'postgres', url: { env: '_STATE_DB_URL' } };
    raw.crm = { kind: 'postgres', url: 'postgres://crm@db.example.net/crm', lists: raw.crm.lists };
    expect(() => parseConfig(raw, 'test.json', '/tmp')).not.toThrow();
  });
});
