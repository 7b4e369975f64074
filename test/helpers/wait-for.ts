/**
 * Polls `check` every `intervalMs` until it holds; for waiting on a workflow's query answer in integration tests.
 * The default deadline is long on purpose: a condition that holds within seconds locally can take far more
 * on a loaded machine (CI ran the suite 1.5 times slower than a quiet local run), and a deadline below
 * jest's own per-test timeout (120 s) only turns a slow pass into a failure. A real hang still fails, by
 * this message or by jest's timeout. `explain`, if given, adds what was seen last to that message.
 */
export async function waitFor(
  check: () => Promise<boolean>,
  timeoutMs = 90_000,
  intervalMs = 100,
  explain?: () => Promise<string>,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, intervalMs));
  }
  throw new Error(`condition not met within ${timeoutMs} ms${explain ? `: ${await explain()}` : ''}`);
}
