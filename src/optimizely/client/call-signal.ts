/** One HTTP attempt's signal: aborted by the caller's signal or by the per-call timeout, whichever comes first. */
export interface CallSignal {
  signal: AbortSignal;
  timedOut(): boolean;
  dispose(): void;
}

export function callSignal(timeoutMs: number, outer?: AbortSignal): CallSignal {
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort(new Error(`timed out after ${timeoutMs} ms`));
  }, timeoutMs);
  const onAbort = () => controller.abort(outer?.reason);
  if (outer?.aborted) onAbort();
  else outer?.addEventListener('abort', onAbort, { once: true });
  return {
    signal: controller.signal,
    timedOut: () => timedOut,
    dispose: () => {
      clearTimeout(timer);
      outer?.removeEventListener('abort', onAbort);
    },
  };
}
