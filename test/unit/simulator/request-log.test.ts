import { RequestLog, type RequestLogEntry } from '../../../src/simulator/request-log';

function entry(time: number): RequestLogEntry {
  return {
    time,
    service: 'RecipientService',
    operation: 'addAll3',
    mandatorId: 1,
    httpStatus: 200,
    fault: null,
    durationMs: 1,
    bytesIn: 10,
  };
}

describe('the simulator request log', () => {
  it('keeps the last 2000 calls by default', () => {
    const log = new RequestLog();
    for (let i = 0; i < 2005; i++) log.add(entry(i));
    expect(log.list()).toHaveLength(2000);
    expect(log.list()[0]!.time).toBe(5);
  });

  it('keeps as many calls as its capacity says (a million-recipient benchmark day needs more than 2000)', () => {
    const log = new RequestLog(3000);
    for (let i = 0; i < 2500; i++) log.add(entry(i));
    expect(log.list()).toHaveLength(2500);
  });
});
