import { readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join } from 'node:path';

// The image installs `dependencies` only (`npm ci --omit=dev`). This reads every runtime import of the
// code the image runs (src/, activities/, workflows/, bin/ and the build script) and checks both
// directions: each imported package is a dependency, and each dependency is imported (anything only
// tests, benchmarks or development scripts use belongs in devDependencies). Type-only imports are
// erased by the compiler and do not count. test/integration/deploy/compiled-worker.test.ts checks the
// same at run time, by starting the compiled worker with development packages made unresolvable.

const root = join(__dirname, '../../..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};
const RUNTIME_ROOTS = ['src', 'activities', 'workflows', 'bin'];
const BUILD_SCRIPT = 'scripts/build-workflow-bundle.ts';

/** Dependencies no import names, with why they are still needed at run time. */
const LOADED_BY_NAME: Record<string, string> = {
  'pino-pretty': 'pino loads it by name as the transport of LOG_FORMAT=pretty (src/logger.ts)',
};

/** Development packages runtime code loads only when they are installed, with where and why. */
const OPTIONAL_AT_RUN_TIME: Record<string, string> = {
  tsx: 'bin/campaign-sync.js runs the sources through it in a checkout; the image runs dist/ instead',
};

function sourceFiles(dir: string): string[] {
  return readdirSync(join(root, dir), { withFileTypes: true }).flatMap((entry) => {
    const path = `${dir}/${entry.name}`;
    if (entry.isDirectory()) return sourceFiles(path);
    return /\.(ts|js)$/.test(entry.name) && !entry.name.endsWith('.d.ts') ? [path] : [];
  });
}

/** Module specifiers a file loads at run time: value imports, re-exports, require, dynamic import. */
function runtimeSpecifiers(text: string): string[] {
  const code = text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
  const found: string[] = [];
  for (const m of code.matchAll(/^\s*(import|export)\s+(type\s+)?[^'";]*?\bfrom\s+['"]([^'"]+)['"]/gm))
    if (!m[2]) found.push(m[3] as string);
  for (const m of code.matchAll(/^\s*import\s+['"]([^'"]+)['"]/gm)) found.push(m[1] as string);
  for (const m of code.matchAll(/\b(?:require|require\.resolve|import)\(\s*['"]([^'"]+)['"]\s*\)/g)) found.push(m[1] as string);
  return found;
}

const packageOf = (specifier: string): string =>
  specifier
    .split('/')
    .slice(0, specifier.startsWith('@') ? 2 : 1)
    .join('/');
const isBuiltin = (specifier: string): boolean => specifier.startsWith('node:') || builtinModules.includes(packageOf(specifier));

function runtimeImports(): Map<string, string[]> {
  const byPackage = new Map<string, string[]>();
  for (const file of [...RUNTIME_ROOTS.flatMap(sourceFiles), BUILD_SCRIPT]) {
    for (const specifier of runtimeSpecifiers(readFileSync(join(root, file), 'utf8'))) {
      if (specifier.startsWith('.') || isBuiltin(specifier)) continue;
      const name = packageOf(specifier);
      byPackage.set(name, [...(byPackage.get(name) ?? []), file]);
    }
  }
  return byPackage;
}

describe('dependencies and devDependencies', () => {
  const imports = runtimeImports();

  it('finds value imports and skips type-only ones', () => {
    const sample =
      "import type { A } from 'a';\nimport { b, type C } from 'b';\nexport { d } from 'd';\nexport type { E } from 'e';\nimport 'f';\nconst g = require('g/sub');\n// import { h } from 'h';\nawait import('@i/j/k');";
    expect(runtimeSpecifiers(sample)).toEqual(['b', 'd', 'f', 'g/sub', '@i/j/k']);
  });

  it('lists every package the image runs in dependencies', () => {
    const missing = [...imports]
      .filter(([name]) => !(name in pkg.dependencies) && !(name in OPTIONAL_AT_RUN_TIME))
      .map(([name, files]) => `${name} (${files.join(', ')})`);
    expect(missing).toEqual([]);
  });

  it('keeps only packages the image runs in dependencies', () => {
    const unused = Object.keys(pkg.dependencies).filter((name) => !imports.has(name) && !(name in LOADED_BY_NAME));
    expect(unused).toEqual([]);
  });

  it('keeps test tools out of dependencies', () => {
    for (const name of ['soap', '@temporalio/testing', 'tsx', 'jest', 'fast-check'])
      expect([name, name in pkg.dependencies]).toEqual([name, false]);
    for (const name of ['soap', '@temporalio/testing', 'tsx']) expect([name, name in pkg.devDependencies]).toEqual([name, true]);
  });
});
