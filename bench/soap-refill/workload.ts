// The benchmark's data: 100,000 recipients with 10 attributes (the five technical fields and five
// personal ones), cut into addAll3 batches of 1000.
export const MANDATOR = { mandatorId: 4711, username: 'bench-user', password: 'bench-secret' };
export const ATTRIBUTES = [
  'firstname',
  'lastname',
  'city',
  'zip',
  'country',
  'opt-in-id',
  'description',
  'media-type',
  'entity-type',
  'entity-id',
];
export const LISTS = { warmup: 300, baseline: 100, client: 200 } as const;

export interface Batch {
  recipientIds: string[];
  addresses: string[];
  attributeValues: string[][];
}

export function seed(): unknown {
  const fields = ['email', ...ATTRIBUTES];
  const list = (id: number, name: string) => ({ id, name, type: 'regular', fields });
  return {
    clients: [{ ...MANDATOR, lists: [list(LISTS.baseline, 'Baseline'), list(LISTS.client, 'Client'), list(LISTS.warmup, 'Warm-up')] }],
  };
}

export function batches(recipients: number, batchSize: number): Batch[] {
  const out: Batch[] = [];
  for (let start = 0; start < recipients; start += batchSize) {
    const batch: Batch = { recipientIds: [], addresses: [], attributeValues: [] };
    for (let i = start; i < Math.min(start + batchSize, recipients); i++) {
      const address = `recipient.${i}@bench.example`;
      batch.recipientIds.push(address);
      batch.addresses.push(address);
      batch.attributeValues.push([
        `First${i % 997}`,
        `Last${i % 991}`,
        'Düsseldorf',
        String(10000 + (i % 89999)),
        'DE',
        '11',
        'Newsletter contact',
        'email',
        'contact',
        `0031${String(i).padStart(8, '0')}`,
      ]);
    }
    out.push(batch);
  }
  return out;
}
