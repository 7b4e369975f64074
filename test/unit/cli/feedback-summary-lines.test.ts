import type { ImportFeedbackOutput } from '../../../activities/feedback-types';
import fc from 'fast-check';
import { feedbackSummaryLines } from '../../../src/cli/feedback-summary-lines';
import { terminalBlock } from '../../../src/cli/terminal-text';
import { hostileText } from '../../helpers/hostile-text';

const base: ImportFeedbackOutput = {
  bounces: 1,
  unsubscribes: 6,
  applied: 2,
  handed: 0,
  alreadyApplied: 1,
  repeated: 1,
  unknownRecipient: 1,
  unknownEntity: 0,
  invalidRows: 2,
  rejected: { column_count: 0, missing_recipient_id: 0, invalid_list_id: 1, invalid_timestamp: 1 },
  watermark: '2026-11-30T06:00:00.000Z',
  files: [],
};

describe('feedbackSummaryLines', () => {
  it('says applied in the CRM for SQL writes and handed to the CRM for outbox writes', () => {
    expect(feedbackSummaryLines(base)[0]).toContain('2 applied in the CRM, 0 handed to the CRM (outbox, not yet imported)');
    expect(feedbackSummaryLines({ ...base, applied: 0, handed: 2 })[0]).toContain('0 applied in the CRM, 2 handed to the CRM');
    expect(feedbackSummaryLines(base).join('\n')).not.toContain('applied to the CRM');
  });

  it('names rejected rows by reason and every quarantined file with its reason', () => {
    const lines = feedbackSummaryLines({
      ...base,
      dropped: {
        processed: ['unsubscribes-a.csv'],
        duplicates: ['unsubscribes-b.csv'],
        quarantined: [{ name: 'bounces-x.csv', reason: 'not a regular file (FIFO); not read' }],
      },
    });
    expect(lines.slice(1)).toEqual([
      '  2 rows rejected: invalid_list_id 1, invalid_timestamp 1',
      '  dropped files: 1 processed, 1 seen before (skipped), 1 quarantined',
      '  QUARANTINED bounces-x.csv: not a regular file (FIFO); not read',
    ]);
  });

  it('says how many files were left because they were still being written', () => {
    const lines = feedbackSummaryLines({
      ...base,
      dropped: { processed: [], duplicates: [], quarantined: [], changing: ['unsubscribes-a.csv'] },
    });
    expect(lines).toContain(
      '  dropped files: 0 processed, 0 seen before (skipped), 0 quarantined, 1 still being written (left for the next run)',
    );
  });

  it('reads a status recorded before the handed count existed', () => {
    const { handed: _handed, repeated: _repeated, rejected: _rejected, ...old } = base;
    expect(feedbackSummaryLines({ ...old, invalidRows: 0 })).toHaveLength(1);
  });

  it('prints each quarantined file on one line of its own, whatever its name and reason hold', () => {
    // A name is anyone's with access to the folder: `bounces\n  dropped files: 0 processed …\n.csv`
    // printed a line of its own under ours before names were escaped.
    const quarantined = fc.array(fc.record({ name: hostileText, reason: hostileText }), { minLength: 1, maxLength: 5 });
    fc.assert(
      fc.property(quarantined, (files) => {
        const lines = feedbackSummaryLines({ ...base, invalidRows: 0, dropped: { processed: [], duplicates: [], quarantined: files } });
        // What the terminal shows (print goes through terminalBlock, which keeps line breaks).
        const shown = terminalBlock(lines.join('\n')).split('\n');
        expect(shown).toHaveLength(2 + files.length);
        expect(shown.slice(2).every((line) => line.startsWith('  QUARANTINED '))).toBe(true);
      }),
      { numRuns: 200 },
    );
  });
});
