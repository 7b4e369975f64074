// Finds what in the repository's Markdown points outside it or at nothing: relative links that
// leave the repository root or name a missing file or heading, and mentions of material that only
// exists outside the repository. Used by test/unit/docs/doc-links.test.ts.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';

/** Folders that are not documentation of the repository (installed, generated or local state). */
const SKIPPED_FOLDERS = new Set(['node_modules', 'dist', 'coverage']);

/** Texts naming material outside the repository; built from parts so this file does not match itself. */
export const OUTSIDE_MENTIONS: readonly RegExp[] = [
  new RegExp(['\\.\\./', 'shared', '/'].join('')),
  new RegExp(['/wor', 'k/shared'].join('')),
  // Any other path of the machine the project was written on; the benchmark lock's mentions (`flock
  // <it>`, how a figure was measured) are the one exception left, in many dated records.
  new RegExp(['/wor', 'k/(?!bench\\.lock\\b)'].join('')),
  new RegExp(['DESIGN', '\\.md'].join('')),
  new RegExp(['GLOSSARY', '\\.md'].join('')),
  new RegExp(['the ', 'design file'].join(''), 'i'),
];

export interface DocProblem {
  file: string;
  problem: string;
}

/** Every Markdown file under root, skipping dot-folders and installed or generated folders. */
export function markdownFiles(root: string, dir = root): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      return entry.name.startsWith('.') || SKIPPED_FOLDERS.has(entry.name) ? [] : markdownFiles(root, path);
    }
    return entry.name.endsWith('.md') ? [path] : [];
  });
}

/** Link targets of inline Markdown links and HTML href attributes, code blocks and spans left out. */
export function linkTargets(markdown: string): string[] {
  const prose = markdown.replace(/```[\s\S]*?```/g, '').replace(/`[^`\n]*`/g, '');
  const inline = [...prose.matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)].map((m) => m[1] ?? '');
  const hrefs = [...prose.matchAll(/href="([^"]+)"/g)].map((m) => m[1] ?? '');
  return [...inline, ...hrefs];
}

/** GitHub's anchor of a heading: lower case, punctuation dropped, spaces to hyphens. */
export function headingAnchor(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

function anchorsOf(markdown: string): Set<string> {
  const prose = markdown.replace(/```[\s\S]*?```/g, '');
  return new Set([...prose.matchAll(/^#{1,6}\s+(.+)$/gm)].map((m) => headingAnchor(m[1] ?? '')));
}

const EXTERNAL = /^(?:[a-z][a-z0-9+.-]*:|\/\/)/i;

/** What is wrong with one link target of file, or undefined when it points at something in root. */
export function linkProblem(root: string, file: string, target: string): string | undefined {
  if (EXTERNAL.test(target)) return undefined;
  const [pathPart = '', anchor] = target.split('#', 2);
  const resolved = pathPart === '' ? file : resolve(dirname(file), decodeURI(pathPart));
  const inside = relative(root, resolved);
  if (inside.startsWith('..') || inside.split(sep)[0] === '..' || resolve(root, inside) !== resolved) {
    return `link ${target} leaves the repository`;
  }
  if (!existsSync(resolved)) return `link ${target} names a missing file`;
  if (anchor && statSync(resolved).isFile() && resolved.endsWith('.md')) {
    if (!anchorsOf(readFileSync(resolved, 'utf8')).has(anchor)) return `link ${target} names a missing heading`;
  }
  return undefined;
}

/** Every problem of every Markdown file under root. */
export function docProblems(root: string): DocProblem[] {
  return markdownFiles(root).flatMap((path) => {
    const file = relative(root, path);
    const text = readFileSync(path, 'utf8');
    const links = linkTargets(text).flatMap((target) => {
      const problem = linkProblem(root, path, target);
      return problem ? [{ file, problem }] : [];
    });
    const mentions = OUTSIDE_MENTIONS.filter((pattern) => pattern.test(text)).map((pattern) => ({
      file,
      problem: `mentions material outside the repository (${pattern.source})`,
    }));
    return [...links, ...mentions];
  });
}

/** Source and configuration files under root (code comments must not point outside either). */
export function sourceFiles(root: string, dir = root): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      const skip = entry.name.startsWith('.') || SKIPPED_FOLDERS.has(entry.name) || entry.name === 'histories';
      return skip ? [] : sourceFiles(root, path);
    }
    return /\.(?:ts|mts|js|mjs|cjs|json|sh|ya?ml|sql)$/.test(entry.name) ? [path] : [];
  });
}

/** Source files that mention material outside the repository. */
export function outsideMentionsInSources(root: string): DocProblem[] {
  return sourceFiles(root).flatMap((path) => {
    const text = readFileSync(path, 'utf8');
    return OUTSIDE_MENTIONS.filter((pattern) => pattern.test(text)).map((pattern) => ({
      file: relative(root, path),
      problem: `mentions material outside the repository (${pattern.source})`,
    }));
  });
}
