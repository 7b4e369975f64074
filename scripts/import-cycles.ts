import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';

// ESLint's `import-x/no-cycle` skips type-only imports by design (they vanish at run time), so two
// type files that import each other pass the linter. This check reads every relative `import`,
// `import type`, `export … from` and `export type * from` and reports each cycle, type-only or not:
// a cycle means the files were split by size, not by concept.

/** The folders of the project's own TypeScript. */
export const SOURCE_ROOTS = ['src', 'workflows', 'activities', 'test', 'bench', 'scripts'] as const;

const SOURCE_SUFFIXES = ['.ts', '.tsx', '/index.ts'];

/** Every `.ts` file below `dir` (skipping `node_modules`, `dist` and dot folders). */
export function listTypeScriptFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    if (name.startsWith('.') || name === 'node_modules' || name === 'dist') return [];
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return listTypeScriptFiles(path);
    return name.endsWith('.ts') && !name.endsWith('.d.ts') ? [path] : [];
  });
}

function resolveRelative(fromFile: string, specifier: string): string | undefined {
  if (!specifier.startsWith('.')) return undefined;
  const base = resolve(dirname(fromFile), specifier);
  if (existsSync(base) && statSync(base).isFile()) return base;
  return SOURCE_SUFFIXES.map((suffix) => base + suffix).find((candidate) => existsSync(candidate));
}

/** The files one file imports or re-exports from, type-only imports included. */
export function importsOf(file: string): string[] {
  const info = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
  const targets = info.importedFiles.map((ref) => resolveRelative(file, ref.fileName));
  return [...new Set(targets.filter((target): target is string => target !== undefined))];
}

/** Strongly connected components of more than one file (or a file importing itself), by Tarjan. */
function cyclicComponents(graph: Map<string, string[]>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (node: string): void => {
    index.set(node, index.size);
    low.set(node, index.get(node)!);
    stack.push(node);
    onStack.add(node);
    for (const next of graph.get(node) ?? []) {
      if (!index.has(next)) {
        visit(next);
        low.set(node, Math.min(low.get(node)!, low.get(next)!));
      } else if (onStack.has(next)) {
        low.set(node, Math.min(low.get(node)!, index.get(next)!));
      }
    }
    if (low.get(node) !== index.get(node)) return;
    const component: string[] = [];
    let member: string;
    do {
      member = stack.pop()!;
      onStack.delete(member);
      component.push(member);
    } while (member !== node);
    if (component.length > 1 || (graph.get(node) ?? []).includes(node)) found.push(component.sort());
  };
  for (const node of graph.keys()) if (!index.has(node)) visit(node);
  return found;
}

/** Each group of files that import one another (directly or round a loop), as paths relative to `root`. */
export function findImportCycles(root: string, dirs: readonly string[]): string[][] {
  const files = dirs.flatMap((dir) => listTypeScriptFiles(join(root, dir)));
  const graph = new Map(files.map((file) => [file, importsOf(file)]));
  return cyclicComponents(graph).map((component) => component.map((file) => relative(root, file)));
}
