import type { ClassifiedPage } from '../classify-response-page';

// A classified page as it crosses to the response ingestion thread. Copying an array of strings
// between threads costs per string (about a tenth of the reading thread's time in the benchmark for
// the recipient ids, times, URLs and keys of each page); one string per column and the end of each
// entry in a typed array (whose buffer is moved, not copied) cost one copy of the text. Exact for any
// text (no separator that a hostile cell could contain): entries are cut at the recorded ends.

/** A column of strings as their concatenation and where each one ends (in UTF-16 code units). */
export interface PackedStrings {
  packed: string;
  ends: Uint32Array;
}

/** `T` with every string array replaced by a PackedStrings, one level of nested columns deep. */
export type Packed<T> = {
  [K in keyof T]: T[K] extends string[] ? PackedStrings : T[K] extends ArrayBufferView ? T[K] : Packed<T[K]>;
};

export type PackedPage = Packed<ClassifiedPage>;

export function packStrings(values: readonly string[]): PackedStrings {
  const ends = new Uint32Array(values.length);
  let end = 0;
  for (let i = 0; i < values.length; i += 1) {
    end += (values[i] as string).length;
    ends[i] = end;
  }
  return { packed: values.join(''), ends };
}

export function unpackStrings({ packed, ends }: PackedStrings): string[] {
  const values = new Array<string>(ends.length);
  let start = 0;
  for (let i = 0; i < ends.length; i += 1) {
    const end = ends[i] as number;
    values[i] = packed.slice(start, end);
    start = end;
  }
  return values;
}

// By shape, not `instanceof`: a structured clone may come from another realm (a test's VM context).
function isPackedStrings(value: object): value is PackedStrings {
  return 'packed' in value && typeof value.packed === 'string' && 'ends' in value && ArrayBuffer.isView(value.ends);
}

type Column = string[] | ArrayBufferView | PackedStrings | { [key: string]: Column };

function mapColumns(value: Column, strings: (column: string[]) => Column, packed: (column: PackedStrings) => Column): Column {
  if (Array.isArray(value)) return strings(value);
  if (ArrayBuffer.isView(value)) return value;
  if (isPackedStrings(value)) return packed(value);
  return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, mapColumns(inner, strings, packed)]));
}

/**
 * The page with each string column packed. Spelled out rather than walked (unpackPage walks): the
 * walk's objects per page were a tenth of packing; the type makes a new string column fail to compile
 * until it is packed here.
 */
export function packPage(page: ClassifiedPage): PackedPage {
  const { engagements: e, feedback: f, suppressions: s } = page;
  return {
    kinds: page.kinds,
    settled: page.settled,
    mailingIds: packStrings(page.mailingIds),
    engagements: {
      slot: e.slot,
      click: e.click,
      recipientId: packStrings(e.recipientId),
      mailing: e.mailing,
      occurredAt: packStrings(e.occurredAt),
      listId: e.listId,
      url: packStrings(e.url),
    },
    feedback: {
      slot: f.slot,
      unsubscribe: f.unsubscribe,
      recipientId: packStrings(f.recipientId),
      listId: f.listId,
      occurredAt: packStrings(f.occurredAt),
      category: packStrings(f.category),
      key: packStrings(f.key),
      folded: packStrings(f.folded),
    },
    suppressions: {
      unsubscribe: s.unsubscribe,
      recipientKey: packStrings(s.recipientKey),
      listId: s.listId,
      occurredAt: packStrings(s.occurredAt),
    },
  };
}

/** The page as it was before packPage. */
export function unpackPage(page: PackedPage): ClassifiedPage {
  return mapColumns(page as unknown as Column, (s) => s, unpackStrings) as unknown as ClassifiedPage;
}

/** The buffers of a packed page's typed arrays (each once): handed to the other thread instead of copied. */
export function transferablesOfPacked(page: PackedPage): ArrayBuffer[] {
  const buffers = new Set<ArrayBuffer>();
  const collect = (value: Column): Column => {
    if (ArrayBuffer.isView(value)) buffers.add(value.buffer as ArrayBuffer);
    else if (isPackedStrings(value)) buffers.add(value.ends.buffer as ArrayBuffer);
    else if (!Array.isArray(value)) for (const inner of Object.values(value)) collect(inner);
    return value;
  };
  collect(page as unknown as Column);
  return [...buffers];
}
