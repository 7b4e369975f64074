import { CLOSED_LOOP_COLUMNS } from '../../src/optimizely/api/closed-loop-columns';
import type { Row } from '../../src/optimizely/client/optimizely-port';
import { RESPONSE_GETTERS, type ResponseGetter, type ResponseKind, type ResponseRow } from '../../src/responses/response-rows';
import { formerFoldedCategory } from './former-bounce-category';

// Test-only reference: readResponseRow as it was before the rewrite for CPU (src/responses/response-rows.ts
// at main 7674134), with the former category fold.

const BOUNCE_CATEGORIES = new Set(['hardbounce', 'softbounce']);
const CELLS = ['recipientId', 'mailingId', 'startTime', 'timestamp', 'recipientListId', 'category', 'linkId', 'linkUrl'] as const;
type Cell = (typeof CELLS)[number];

const POSITIONS = new Map<ResponseGetter, Record<Cell, number>>(
  RESPONSE_GETTERS.map((getter) => {
    const columns: readonly string[] = CLOSED_LOOP_COLUMNS[getter];
    return [getter, Object.fromEntries(CELLS.map((cell) => [cell, columns.indexOf(cell)])) as Record<Cell, number>];
  }),
);

function cellAt(row: Row, at: number): string {
  return at < 0 ? '' : String(row[at] ?? '');
}

export function formerReadResponseRow(getter: ResponseGetter, row: Row): ResponseRow {
  const at = POSITIONS.get(getter) as Record<Cell, number>;
  const category = cellAt(row, at.category);
  return {
    kind: kindOf(getter, category),
    recipientId: cellAt(row, at.recipientId),
    mailingId: cellAt(row, at.mailingId),
    timestamp: cellAt(row, getter === 'getMailings' ? at.startTime : at.timestamp),
    recipientListId: cellAt(row, at.recipientListId),
    category,
    linkId: cellAt(row, at.linkId),
    linkUrl: cellAt(row, at.linkUrl),
  };
}

function kindOf(getter: ResponseGetter, category: string): ResponseKind {
  switch (getter) {
    case 'getMailings':
      return 'mailing';
    case 'getOpens':
      return 'open';
    case 'getClicks':
      return 'click';
    case 'getOutBounces':
      return 'bounce';
    case 'getResponses':
      return BOUNCE_CATEGORIES.has(formerFoldedCategory(category)) ? 'bounce' : 'other';
    default:
      return 'unsubscribe';
  }
}
