/** A `readyBy` of "HH:MM UTC" `agoMs` before now: a deadline that has just passed (tests and recordings). */
export function readyByAgo(agoMs: number): { readyBy: string; at: Date } {
  const at = new Date(Date.now() - agoMs);
  const pad = (n: number) => String(n).padStart(2, '0');
  return { readyBy: `${pad(at.getUTCHours())}:${pad(at.getUTCMinutes())} UTC`, at };
}
