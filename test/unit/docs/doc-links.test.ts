// The repository's documentation stands alone: no Markdown link leaves the repository or names a
// missing file or heading, and neither docs nor code point at material kept outside it.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import fc from 'fast-check';
import { docProblems, headingAnchor, linkTargets, outsideMentionsInSources } from '../../helpers/doc-links';

const REPO_ROOT = resolve(__dirname, '../../..');

describe('documentation of this repository', () => {
  it('has no link outside the repository or to a missing file or heading', () => {
    expect(docProblems(REPO_ROOT)).toEqual([]);
  });

  it('has no source file pointing at material outside the repository', () => {
    expect(outsideMentionsInSources(REPO_ROOT)).toEqual([]);
  });
});

describe('the documentation checker', () => {
  let root: string;
  const write = (path: string, text: string) => {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), text);
  };

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'doc-links-'));
    write('docs/target.md', '# Target page\n\n## The daily sync, in short\n');
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('accepts relative links to existing files and headings, external links and anchors', () => {
    write('README.md', '# Top\n\n[a](docs/target.md) [b](docs/target.md#the-daily-sync-in-short) [c](https://example.org/x) [d](#top)\n');
    write('docs/other.md', '[up](../README.md) [same](target.md#target-page)\n');
    expect(docProblems(root)).toEqual([]);
  });

  it('reports a link that leaves the repository', () => {
    write('docs/other.md', '[ref](../../elsewhere/notes.md)\n');
    expect(docProblems(root)).toEqual([{ file: join('docs', 'other.md'), problem: 'link ../../elsewhere/notes.md leaves the repository' }]);
  });

  it('reports every relative link that climbs above the root, whatever follows', () => {
    const segment = fc.stringMatching(/^[a-z0-9_-]{1,8}$/);
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 5 }), fc.array(segment, { maxLength: 3 }), (ups, rest) => {
        const target = [...Array<string>(ups).fill('..'), ...rest, 'x.md'].join('/');
        write('docs/other.md', `[t](${target})\n`);
        expect(docProblems(root)).toEqual([{ file: join('docs', 'other.md'), problem: `link ${target} leaves the repository` }]);
      }),
      { numRuns: 50 },
    );
  });

  it('reports a link to a missing file and to a missing heading', () => {
    write('README.md', '[x](docs/missing.md) [y](docs/target.md#no-such-heading)\n');
    expect(docProblems(root).map((p) => p.problem)).toEqual([
      'link docs/missing.md names a missing file',
      'link docs/target.md#no-such-heading names a missing heading',
    ]);
  });

  it('reports a mention of material outside the repository in docs and in code', () => {
    const outside = ['..', 'shared', 'reference', 'api.md'].join('/');
    write('docs/other.md', `See ${outside} for the facts.\n`);
    write('src/a.ts', `// ${['DESIGN', 'md'].join('.')} section 6\n`);
    expect(docProblems(root)).toHaveLength(1);
    expect(outsideMentionsInSources(root)).toHaveLength(1);
  });

  it('ignores links inside code blocks and code spans', () => {
    expect(linkTargets('```\n[a](nowhere.md)\n```\n`[b](nowhere.md)` [c](here.md)')).toEqual(['here.md']);
  });

  it('derives GitHub heading anchors', () => {
    expect(headingAnchor('Quick start: what `npm start` does')).toBe('quick-start-what-npm-start-does');
    expect(headingAnchor('The daily sync, in short')).toBe('the-daily-sync-in-short');
  });
});
