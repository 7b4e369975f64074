import type { BounceSeverity } from '../../src/feedback/bounce-category';

// Test-only reference: foldedCategory and bounceSeverity as they were before plain categories were
// taken as folded already (src/feedback/bounce-category.ts at main 7674134), only the look-up of a
// category named like a property of every object (`constructor`) brought up to today's rule (own keys).

export function formerFoldedCategory(category: string): string {
  return category
    .normalize('NFKC')
    .replace(/[\s\p{Cc}\p{Cf}]/gu, '')
    .toLowerCase();
}

const KNOWN: Readonly<Record<string, BounceSeverity>> = { hardbounce: 'hard', softbounce: 'soft' };

export function formerBounceSeverity(category: string | null | undefined): BounceSeverity {
  const folded = formerFoldedCategory(category ?? '');
  return Object.hasOwn(KNOWN, folded) ? (KNOWN[folded] as BounceSeverity) : 'hard';
}
