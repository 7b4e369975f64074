import type { SqlListSelection } from '../crm/crm-config';

/** The synchronised lists of the demo CRM, one per advertising consent. */
export interface DemoList {
  listKey: string;
  marketingListId: number;
  name: string;
  optInId: string;
  mediaType: 'email';
}

export const DEMO_LISTS: readonly DemoList[] = [
  { listKey: 'newsletter', marketingListId: 1, name: 'Newsletter', optInId: '11', mediaType: 'email' },
  { listKey: 'offers', marketingListId: 2, name: 'Offers', optInId: '12', mediaType: 'email' },
];

/** The attribute mapping of the demo lists: CRM column → Optimizely field name. */
export const DEMO_ATTRIBUTES: Readonly<Record<string, string>> = {
  salutation: 'salutation',
  first_name: 'firstname',
  last_name: 'lastname',
  city: 'city',
};

const ARMS = [
  { type: 'contact', table: 'contacts', names: 'e.salutation, e.first_name, e.last_name' },
  { type: 'lead', table: 'leads', names: 'e.salutation, e.first_name, e.last_name' },
  { type: 'account', table: 'accounts', names: "'' AS salutation, e.name AS first_name, '' AS last_name" },
] as const;

/**
 * The selection of a demo list, portable between SQLite and PostgreSQL. Like an unfiltered CRM
 * report it returns every consent of every member (other opt-in ids, other media), and flags
 * consents not granted and hard bounces in columns: validation, not the query, decides. A consent
 * is granted only when its status says exactly so: any other status (`withdrawn`, `pending`, `no`,
 * `GRANTED `, an empty text, `1`) is flagged, never read as consent. A bounce row is hard unless it
 * says soft (`hard` 0), as the feedback statements take a bounce without `hard` as hard.
 */
export function demoSelectionQuery(list: DemoList): string {
  return ARMS.map((arm) =>
    [
      'SELECT e.email AS recipient_id, e.email, c.opt_in_id, ml.name AS description, c.media_type,',
      `'${arm.type}' AS entity_type, e.id AS entity_id, ${arm.names}, e.city,`,
      "CASE WHEN c.status = 'granted' THEN 0 ELSE 1 END AS consent_withdrawn,",
      'CASE WHEN b.entity_id IS NULL OR b.hard = 0 THEN 0 ELSE 1 END AS bounced',
      'FROM marketing_lists ml',
      `JOIN marketing_list_members m ON m.list_id = ml.id AND m.entity_type = '${arm.type}'`,
      `JOIN ${arm.table} e ON e.id = m.entity_id`,
      `JOIN consents c ON c.entity_type = '${arm.type}' AND c.entity_id = e.id`,
      `LEFT JOIN bounces b ON b.entity_type = '${arm.type}' AND b.entity_id = e.id`,
      `WHERE ml.id = ${list.marketingListId}`,
    ].join('\n'),
  ).join('\nUNION ALL\n');
}

/** The `lists` section of a CRM configuration for the demo CRM. */
export function demoCrmLists(): Record<string, SqlListSelection> {
  return Object.fromEntries(
    DEMO_LISTS.map((list) => [list.listKey, { query: demoSelectionQuery(list), attributes: { ...DEMO_ATTRIBUTES } }]),
  );
}

/** Mailings the demo CRM knows as campaigns (others' responses are skipped). */
export const DEMO_CAMPAIGNS = [
  { id: 'CMP-0001', name: 'Spring newsletter', mailingId: '1001' },
  { id: 'CMP-0002', name: 'Offers week 12', mailingId: '1002' },
] as const;
