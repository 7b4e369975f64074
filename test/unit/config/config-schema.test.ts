import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfig, parseConfig, readSecret } from '../../../src/config/load-config';
import { demoConfig, demoSimulatorSeed } from '../../../src/demo/demo-config';
import { ConfigError } from '../../../src/errors/config-error';

const configDir = join(__dirname, '..', '..', '..', 'config');

describe('configuration', () => {
  it('ships a demo configuration that is valid and equal to its generator', () => {
    const file = join(configDir, 'demo.json');
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual(demoConfig());
    expect(JSON.parse(readFileSync(join(configDir, 'demo-simulator-seed.json'), 'utf8'))).toEqual(demoSimulatorSeed());
    const config = loadConfig(file);
    expect(config.clients[0]?.lists.map((l) => [l.key, l.optInId, l.guard.maxShrinkPercent])).toEqual([
      ['newsletter', '11', 20],
      ['offers', '12', 20],
    ]);
    expect(config.crm.kind === 'sqlite' && config.crm.file).toBe(join(configDir, '..', '.data', 'demo', 'crm.sqlite'));
  });

  it('allows re-subscriptions through addAll3 on regular lists only, naming the list', () => {
    const raw = demoConfig() as { clients: Array<{ lists: Array<Record<string, unknown>> }> };
    const [regular, optIn] = raw.clients[0]!.lists as [Record<string, unknown>, Record<string, unknown>];
    Object.assign(regular, { allowResubscribe: true, optinProcessId: 0 });
    expect(parseConfig(raw, 'test.json', '/tmp').clients[0]?.lists.map((l) => l.allowResubscribe)).toEqual([true, false]);
    Object.assign(optIn, { allowResubscribe: true, optinProcessId: 3 });
    expect(() => parseConfig(raw, 'test.json', '/tmp')).toThrow(/lists\.1\.allowResubscribe.*offers has an opt-in process/s);
  });

  it("gives each list the client's IDN policy unless it sets its own, rejecting by default", () => {
    const raw = demoConfig() as { clients: Array<Record<string, unknown> & { lists: Array<Record<string, unknown>> }> };
    const policies = () => parseConfig(raw, 'test.json', '/tmp').clients[0]?.lists.map((l) => l.idnDomains);
    expect(policies()).toEqual(['reject', 'reject']);
    raw.clients[0]!.idnDomains = 'punycode';
    raw.clients[0]!.lists[1]!.idnDomains = 'reject';
    expect(policies()).toEqual(['punycode', 'reject']);
    raw.clients[0]!.idnDomains = 'convert';
    expect(() => parseConfig(raw, 'test.json', '/tmp')).toThrow(/clients\.0\.idnDomains/);
  });

  it('lists every problem with its path', () => {
    const raw = demoConfig() as { clients: Array<Record<string, unknown> & { lists: Array<Record<string, unknown>> }> };
    const client = raw.clients[0]!;
    client.mandatorId = -1;
    client.concurrency = 41;
    client.password = 'plain-text';
    client.lists[1]!.key = 'newsletter';
    client.lists[0]!.guard = { approvalTimeout: 'soon' };
    const call = () => parseConfig(raw, 'test.json', '/tmp');
    expect(call).toThrow(ConfigError);
    const problems = (() => {
      try {
        call();
      } catch (error) {
        return (error as ConfigError).problems.join('\n');
      }
      return '';
    })();
    expect(problems).toMatch(/clients\.0\.mandatorId/);
    expect(problems).toMatch(/clients\.0\.concurrency/);
    expect(problems).toMatch(/clients\.0\.password/);
    expect(problems).toMatch(/clients\.0\.lists\.0\.guard\.approvalTimeout: a duration/);
    expect(problems).not.toMatch(/plain-text/);
  });

  it('rejects a list without a CRM selection', () => {
    const raw = demoConfig() as { crm: { lists: Record<string, unknown> } };
    delete raw.crm.lists.offers;
    expect(() => parseConfig(raw, 'test.json', '/tmp')).toThrow(/clients\.0\.lists\.1\.key: no CRM selection for list offers/);
  });

  it('defaults sendability to strip with 255 code points, and names a length limit for a column that is not sent', () => {
    expect(parseConfig(demoConfig(), 'test.json', '/tmp').clients[0]?.lists[0]?.sendability).toEqual({
      invalidAttributeValues: 'strip',
      maxLength: 255,
      maxLengths: {},
    });
    const raw = demoConfig() as { clients: Array<{ lists: Array<Record<string, unknown>> }> };
    raw.clients[0]!.lists[0]!.sendability = { invalidAttributeValues: 'drop', maxLengths: { entity_id: 36, frist_name: 20 } };
    const parse = () => parseConfig(raw, 'test.json', '/tmp');
    expect(parse).toThrow(/clients\.0\.lists\.0\.sendability\.invalidAttributeValues/);
    raw.clients[0]!.lists[0]!.sendability = { maxLengths: { entity_id: 36, frist_name: 20 } };
    expect(parse).toThrow(/clients\.0\.lists\.0\.sendability\.maxLengths\.frist_name: frist_name is not a column sent for list newsletter/);
  });

  it('defaults the retention to 7 days of snapshots and 90 of runs, and names a bad value', () => {
    expect(parseConfig(demoConfig(), 'test.json', '/tmp').retention).toEqual({ snapshotDays: 7, runDays: 90 });
    const raw = { ...(demoConfig() as Record<string, unknown>), retention: { snapshotDays: 0, runsDays: 30 } };
    const parse = () => parseConfig(raw, 'test.json', '/tmp');
    expect(parse).toThrow(/retention\.snapshotDays/);
    expect(parse).toThrow(/runsDays/);
  });

  it('defaults every list to strategy refresh, a 10% removal limit and a weekly full read-back, and names a bad value', () => {
    const lists = parseConfig(demoConfig(), 'test.json', '/tmp').clients[0]!.lists;
    expect(lists.map((l) => [l.strategy, l.guard.maxRemovePercent, l.fullVerifyEveryDays])).toEqual([
      ['refresh', 10, 7],
      ['refresh', 10, 7],
    ]);
    const raw = demoConfig() as { clients: Array<{ lists: Array<Record<string, unknown>> }> };
    Object.assign(raw.clients[0]!.lists[0]!, { strategy: 'reconcile', fullVerifyEveryDays: 1 });
    expect(parseConfig(raw, 'test.json', '/tmp').clients[0]!.lists[0]).toMatchObject({ strategy: 'reconcile', fullVerifyEveryDays: 1 });
    Object.assign(raw.clients[0]!.lists[1]!, { strategy: 'diff', fullVerifyEveryDays: 0, guard: { maxRemovePercent: 101 } });
    const parse = () => parseConfig(raw, 'test.json', '/tmp');
    expect(parse).toThrow(/clients\.0\.lists\.1\.strategy/);
    expect(parse).toThrow(/clients\.0\.lists\.1\.fullVerifyEveryDays/);
    expect(parse).toThrow(/clients\.0\.lists\.1\.guard\.maxRemovePercent/);
  });

  it('defaults the attribute guard to 5% lost values and 20% updated, and names a bad value', () => {
    const lists = parseConfig(demoConfig(), 'test.json', '/tmp').clients[0]!.lists;
    expect(lists.map((l) => [l.guard.maxBlankedPercent, l.guard.maxUpdatePercent])).toEqual([
      [5, 20],
      [5, 20],
    ]);
    for (const bad of [-1, 100.5, '5', null]) {
      const raw = demoConfig() as { clients: Array<{ lists: Array<Record<string, unknown>> }> };
      Object.assign(raw.clients[0]!.lists[0]!, { guard: { maxBlankedPercent: bad, maxUpdatePercent: bad } });
      const parse = () => parseConfig(raw, 'test.json', '/tmp');
      expect(parse).toThrow(/clients\.0\.lists\.0\.guard\.maxBlankedPercent/);
      expect(parse).toThrow(/clients\.0\.lists\.0\.guard\.maxUpdatePercent/);
    }
  });

  it('reads a secret by reference and names a missing variable', () => {
    expect(readSecret({ env: 'X_SECRET' }, { X_SECRET: 's3cret' })).toBe('s3cret');
    expect(() => readSecret({ env: 'X_SECRET' }, {})).toThrow(/X_SECRET is not set/);
  });
});

describe('readyBy and the consent objective', () => {
  const raw = () => demoConfig() as { clients: Array<Record<string, unknown> & { lists: Array<Record<string, unknown>> }> };

  it('keeps a valid readyBy per list and gives every client a 26 h objective unless set', () => {
    const config = raw();
    config.clients[0]!.lists[0]!.readyBy = '06:00 Europe/Berlin';
    const parsed = parseConfig(config, 'test.json', '/tmp').clients[0]!;
    expect([parsed.lists.map((l) => l.readyBy), parsed.consentLatencyObjectiveHours]).toEqual([['06:00 Europe/Berlin', undefined], 26]);
    config.clients[0]!.consentLatencyObjectiveHours = 48;
    expect(parseConfig(config, 'test.json', '/tmp').clients[0]?.consentLatencyObjectiveHours).toBe(48);
  });

  it.each([
    ['6 am', /lists\.1\.readyBy: list offers: readyBy "6 am" is not "HH:MM <time zone>"/],
    ['06:00 Mars/Olympus', /lists\.1\.readyBy: list offers: readyBy "Mars\/Olympus" is not an IANA time zone/],
  ])('refuses readyBy %j naming the list and the setting', (readyBy, message) => {
    const config = raw();
    config.clients[0]!.lists[1]!.readyBy = readyBy;
    expect(() => parseConfig(config, 'test.json', '/tmp')).toThrow(message);
  });

  it('refuses an objective that is not a positive number of hours', () => {
    const config = raw();
    config.clients[0]!.consentLatencyObjectiveHours = 0;
    expect(() => parseConfig(config, 'test.json', '/tmp')).toThrow(/clients\.0\.consentLatencyObjectiveHours/);
  });
});
