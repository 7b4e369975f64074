import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as patches from '../../workflows/patches';
import { HISTORIES_DIR, patchMarkers } from '../helpers/replay';

// The patch register (workflows/patches.ts) is the one place patch ids live: every patched() /
// deprecatePatch() call names a register constant, every register entry is used at its stage, and
// the history that replays its old branch is committed and really lacks the marker.
const WORKFLOWS_DIR = join(__dirname, '..', '..', 'workflows');
const sources = readdirSync(WORKFLOWS_DIR)
  .filter((name) => name.endsWith('.ts') && name !== 'patches.ts')
  .map((name) => readFileSync(join(WORKFLOWS_DIR, name), 'utf8'));
const calls = (fn: string): string[] =>
  sources.flatMap((source) => [...source.matchAll(new RegExp(`\\b${fn}\\(\\s*([^)]*?)\\s*\\)`, 'g'))].map((m) => m[1] as string));
const constantOf = (id: string): string | undefined =>
  Object.entries(patches).find(([name, value]) => name.endsWith('_PATCH') && value === id)?.[0];

describe('the patch register', () => {
  it('holds each id once, each with an exported constant', () => {
    const ids = patches.PATCHES.map((p) => p.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(constantOf(id)).toBeDefined();
  });

  it('is where every patched() and deprecatePatch() call takes its id from', () => {
    const used = [...calls('patched'), ...calls('deprecatePatch')];
    expect(used.length).toBeGreaterThan(0);
    const registered = patches.PATCHES.map((p) => constantOf(p.id));
    for (const argument of used) expect(registered).toContain(argument);
  });

  it.each(patches.PATCHES.map((p) => [p.id, p] as const))('uses %s at its stage', (_id, patch) => {
    const constant = constantOf(patch.id) as string;
    expect(calls(patch.stage === 'patched' ? 'patched' : 'deprecatePatch')).toContain(constant);
  });

  it.each(patches.PATCHES.filter((p) => p.stage === 'patched').map((p) => [p.id, p] as const))(
    'keeps a history of the old branch of %s',
    (_id, patch) => {
      expect(existsSync(join(HISTORIES_DIR, patch.oldSideHistory))).toBe(true);
      expect(patchMarkers(patch.oldSideHistory)).not.toContain(patch.id);
    },
  );

  it('names the new branch of every patch in some committed history', () => {
    const recorded = readdirSync(HISTORIES_DIR)
      .filter((n) => n.endsWith('.json'))
      .flatMap(patchMarkers);
    for (const patch of patches.PATCHES) expect(recorded).toContain(patch.id);
  });
});
