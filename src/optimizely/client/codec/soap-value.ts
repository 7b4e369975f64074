// Values the codec writes and reads. long is carried as a JS number: every id the API hands out
// (mandator, list, mailing ids, millisecond times) fits in 2^53; larger values are rejected, not rounded.
export type SoapScalarValue = string | number | boolean | null;
export type SoapValue = SoapScalarValue | readonly SoapValue[];

export const SOAP_ENV_NS = 'http://schemas.xmlsoap.org/soap/envelope/';
export const SOAP_ENC_NS = 'http://schemas.xmlsoap.org/soap/encoding/';
