import { responseCountLines } from '../../../src/cli/response-count-lines';

describe('responseCountLines', () => {
  it('shows each event kind with its outcomes and flags a lagging run', () => {
    const lines = responseCountLines({ 'open.applied': 12, 'open.noCampaign': 3, 'click.applied': 2, 'total.duplicate': 4, windows: 2, lagging: 1, lostBeforeMs: 7_200_000 });
    expect(lines).toEqual(['  click: applied 2', '  open: applied 12, noCampaign 3', '  total: duplicate 4', '  LAGGING: 2 h of response data expired unread']);
  });
});
