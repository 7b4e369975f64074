// What can be checked at Optimizely before a list is cleared: that the list exists for the client,
// that its fields include every name the refill sends (technical fields and mapped attributes) and
// none of them is a read-only system field, and that the opt-in process exists. Read-only: two or three SOAP calls, nothing written.
import { SYSTEM_FIELD_NAMES } from '../../optimizely/api/system-fields';
import type { CallOptions, OptimizelyPort } from '../../optimizely/client/optimizely-port';
import { missingFields, readListFields } from './list-fields';

export interface OptimizelyCheckInput {
  optimizely: OptimizelyPort;
  listKey: string;
  listId: number;
  /** 0 = none. */
  optinProcessId: number;
  /** Every field name an addAll3 of the list sends. */
  attributeNames: readonly string[];
  options?: CallOptions;
}

export interface OptimizelyCheckResult {
  /** Each problem names the list, field or setting; empty when the list can be refilled. */
  problems: string[];
  /** Field names the refill sends that the list has. */
  fieldsPresent: number;
  fieldsRequired: number;
  /** Entries of the attribute-name answer that were not usable names. */
  oddFieldEntries: number;
}

/** Field names are only read when the list exists; a missing list is the one problem then. */
export async function checkListAtOptimizely(input: OptimizelyCheckInput): Promise<OptimizelyCheckResult> {
  const { optimizely, listId, options } = input;
  const problems: string[] = [];
  const required = [...new Set(input.attributeNames)];
  const result: OptimizelyCheckResult = { problems, fieldsPresent: 0, fieldsRequired: required.length, oddFieldEntries: 0 };
  const listIds = await optimizely.recipientList.getAllIds(options);
  if (!listIds.includes(listId)) {
    problems.push(
      `Optimizely has no recipient list ${listId} for mandator ${optimizely.mandatorId} (setting listId of list ${input.listKey})`,
    );
  } else {
    // Custom field names are not localized; 'en' keeps the system names predictable.
    const fields = readListFields(await optimizely.recipientList.getAttributeNames({ listId, locale: 'en' }, options));
    const missing = missingFields(required, fields);
    result.fieldsPresent = required.length - missing.length;
    result.oddFieldEntries = fields.ignored;
    if (missing.length > 0) problems.push(`Optimizely list ${listId} lacks the fields ${missing.map(quote).join(', ')}`);
    const readOnly = required.filter((name) => SYSTEM_FIELD_NAMES.has(name));
    if (readOnly.length > 0)
      problems.push(
        `${readOnly.map(quote).join(', ')} of list ${listId} are Optimizely system fields, which a client cannot write: map to custom fields`,
      );
  }
  if (input.optinProcessId !== 0 && !(await optimizely.optinProcess.getIds(options)).includes(input.optinProcessId)) {
    problems.push(`Optimizely has no opt-in process ${input.optinProcessId} (setting optinProcessId of list ${input.listKey})`);
  }
  return result;
}

const quote = (name: string): string => JSON.stringify(name);
