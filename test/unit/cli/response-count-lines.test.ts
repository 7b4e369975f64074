import { responseCountLines } from '../../../src/cli/response-count-lines';

describe('responseCountLines', () => {
  it('shows each event kind with its outcomes and flags a lagging run', () => {
    const lines = responseCountLines({
      'open.applied': 12,
      'open.noCampaign': 3,
      'click.applied': 2,
      'total.duplicate': 4,
      windows: 2,
      lagging: 1,
      lostBeforeMs: 7_200_000,
    });
    expect(lines).toEqual([
      '  click: applied in the CRM 2',
      '  open: applied in the CRM 12, noCampaign 3',
      '  total: duplicate 4',
      '  LAGGING: 2 h of response data expired unread',
    ]);
  });

  it('tells what a CSV CRM was handed from what a SQL CRM applied', () => {
    expect(responseCountLines({ 'unsubscribe.applied': 0, 'unsubscribe.handed': 3 })).toEqual([
      '  unsubscribe: applied in the CRM 0, handed to the CRM 3',
    ]);
  });
});
