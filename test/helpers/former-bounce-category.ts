import type { BounceSeverity } from '../../src/feedback/bounce-category';

// Test-only reference: foldedCategory and bounceSeverity as they were before plain categories were
// taken as folded already (src/feedback/bounce-category.ts at main 7674134).

export function formerFoldedCategory(category: string): string {
  return category
    .normalize('NFKC')
    .replace(/[\s\p{Cc}\p{Cf}]/gu, '')
    .toLowerCase();
}

const KNOWN: Readonly<Record<string, BounceSeverity>> = { hardbounce: 'hard', softbounce: 'soft' };

export function formerBounceSeverity(category: string | null | undefined): BounceSeverity {
  return KNOWN[formerFoldedCategory(category ?? '')] ?? 'hard';
}
