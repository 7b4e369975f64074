// Lints several source texts as if they were files of the project, in one ESLint process (the typed
// rules load the TypeScript project once, which is the slow part). Reads [{ filePath, text }] as JSON
// on stdin and prints one array of "ruleId: message" strings per input.
import { ESLint } from 'eslint';

const inputs = JSON.parse(
  await new Promise((resolve) => {
    let data = '';
    process.stdin.on('data', (chunk) => (data += chunk));
    process.stdin.on('end', () => resolve(data));
  }),
);
const eslint = new ESLint({ cwd: process.cwd() });
const out = [];
for (const { filePath, text } of inputs) {
  const [result] = await eslint.lintText(text, { filePath });
  out.push((result?.messages ?? []).map((m) => `${m.ruleId}: ${m.message}`));
}
process.stdout.write(JSON.stringify(out));
