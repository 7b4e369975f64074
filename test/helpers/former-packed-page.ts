import type { ClassifiedPage } from '../../src/responses/classify-response-page';
import type { PackedPage, PackedStrings } from '../../src/responses/ingest-thread/packed-page';

// Test-only reference: packPage as it was before the rewrite for CPU
// (src/responses/ingest-thread/packed-page.ts at main 7674134).

function packStrings(values: readonly string[]): PackedStrings {
  const ends = new Uint32Array(values.length);
  let end = 0;
  for (let i = 0; i < values.length; i += 1) {
    end += (values[i] as string).length;
    ends[i] = end;
  }
  return { packed: values.join(''), ends };
}

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

export function formerPackPage(page: ClassifiedPage): PackedPage {
  return mapColumns(page as unknown as Column, packStrings, (p) => p) as unknown as PackedPage;
}
