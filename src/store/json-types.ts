/** JSON-plain values: records cross activity boundaries and must survive Temporal's JSON converter. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };
