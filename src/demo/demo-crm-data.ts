import Database from 'better-sqlite3';

// The whole demo CRM in memory, for the expected-set cross-check in tests (small CRMs only).

export interface DemoEntity {
  entityType: 'contact' | 'lead' | 'account';
  entityId: string;
  email: string | null;
}

export interface DemoCrmData {
  entities: DemoEntity[];
  consents: { entityType: string; entityId: string; optInId: string; mediaType: string; status: string }[];
  bounces: { entityType: string; entityId: string; hard: boolean }[];
  members: { listId: number; entityType: string; entityId: string }[];
}

export function readDemoCrm(file: string): DemoCrmData {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const all = <T>(sql: string): T[] => db.prepare(sql).all() as T[];
    return {
      entities: [
        ...all<DemoEntity>("SELECT 'contact' AS entityType, id AS entityId, email FROM contacts"),
        ...all<DemoEntity>("SELECT 'lead' AS entityType, id AS entityId, email FROM leads"),
        ...all<DemoEntity>("SELECT 'account' AS entityType, id AS entityId, email FROM accounts"),
      ],
      consents: all<{ entityType: string; entityId: string; optInId: number; mediaType: string; status: string }>(
        'SELECT entity_type AS entityType, entity_id AS entityId, opt_in_id AS optInId, media_type AS mediaType, status FROM consents',
      ).map((c) => ({ ...c, optInId: String(c.optInId) })),
      // A bounce is hard unless it says soft (0), as the demo selection and the feedback statements read it.
      bounces: all<{ entityType: string; entityId: string; hard: unknown }>(
        'SELECT entity_type AS entityType, entity_id AS entityId, hard FROM bounces',
      ).map((b) => ({ ...b, hard: b.hard !== 0 })),
      members: all('SELECT list_id AS listId, entity_type AS entityType, entity_id AS entityId FROM marketing_list_members'),
    };
  } finally {
    db.close();
  }
}
