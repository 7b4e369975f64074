/**
 * A snapshot chunk's content ids as text: comma-separated items, each an id or an ascending range
 * `first-last` of consecutive ids. Rows written in one go get consecutive ids, so a chunk of an
 * unchanged list is one item ("17-1016"); every changed row costs one more item.
 */
export function encodeContentIds(ids: readonly number[]): string {
  const items: string[] = [];
  for (let i = 0; i < ids.length;) {
    let j = i;
    while (j + 1 < ids.length && (ids[j + 1] as number) === (ids[j] as number) + 1) j += 1;
    items.push(j === i ? String(ids[i]) : `${ids[i]}-${ids[j]}`);
    i = j + 1;
  }
  return items.join(',');
}

/** The ranges of a chunk's text; throws on text `encodeContentIds` did not write (a corrupted chunk must not read as fewer rows). */
export function decodeRanges(text: string): Array<[number, number]> {
  if (text === '') return [];
  return text.split(',').map((item) => {
    const match = /^(\d+)(?:-(\d+))?$/.exec(item);
    const first = Number(match?.[1]);
    const last = match?.[2] === undefined ? first : Number(match[2]);
    if (!match || !Number.isSafeInteger(last) || last < first) {
      throw new TypeError(`Snapshot chunk item '${item.slice(0, 40)}' is not an id or an ascending id range`);
    }
    return [first, last];
  });
}

/** The ids of a chunk in ordinal order. */
export function decodeContentIds(text: string): number[] {
  const ids: number[] = [];
  for (const [first, last] of decodeRanges(text)) for (let id = first; id <= last; id += 1) ids.push(id);
  return ids;
}

/** Sorted, merged ranges: the live set a content sweep keeps, however many chunks share ids. */
export function mergeRanges(ranges: Array<[number, number]>): Array<[number, number]> {
  const merged: Array<[number, number]> = [];
  for (const [first, last] of ranges.sort((a, b) => a[0] - b[0])) {
    const tail = merged[merged.length - 1];
    if (tail && first <= tail[1] + 1) tail[1] = Math.max(tail[1], last);
    else merged.push([first, last]);
  }
  return merged;
}

/** Whether `id` lies in one of the sorted, disjoint `ranges` (binary search). */
export function inRanges(ranges: ReadonlyArray<readonly [number, number]>, id: number): boolean {
  let lo = 0;
  let hi = ranges.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const [first, last] = ranges[mid] as readonly [number, number];
    if (id < first) hi = mid - 1;
    else if (id > last) lo = mid + 1;
    else return true;
  }
  return false;
}
