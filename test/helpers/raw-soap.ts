// Raw SOAP requests in the styles real callers send: the PowerShell (APT) positional style and the
// Ruby Savon (VCR) named style, for tests that speak to the simulator without our client.

const ENV_OPEN =
  '<?xml version="1.0" encoding="utf-8"?><SOAP-ENV:Envelope xmlns:SOAP-ENV="http://schemas.xmlsoap.org/soap/envelope/"' +
  ' xmlns:SOAP-ENC="http://schemas.xmlsoap.org/soap/encoding/" xmlns:xsd="http://www.w3.org/2001/XMLSchema"' +
  ' xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" SOAP-ENV:encodingStyle="http://schemas.xmlsoap.org/soap/encoding/"><SOAP-ENV:Body>';
const ENV_CLOSE = '</SOAP-ENV:Body></SOAP-ENV:Envelope>';

const esc = (v: string): string => v.replace(/&/g, '&amp;').replace(/</g, '&lt;');

export type PositionalArg = [string, string] | ['array', string[]] | ['array2', string[][]];

/** The PowerShell (APT) style: unqualified operation, in0…, xsi:type, SOAP-ENC:arrayType, <item>s. */
export function positional(operation: string, args: PositionalArg[]): string {
  const params = args
    .map(([type, value], i) => {
      if (type === 'array') return arrayParam(`in${i}`, value as string[]);
      if (type === 'array2') {
        const rows = value as string[][];
        const inner = rows
          .map((row) => `<item SOAP-ENC:arrayType="xsd:string[${row.length}]" xsi:type="SOAP-ENC:Array">${items(row)}</item>`)
          .join('');
        return `<in${i} SOAP-ENC:arrayType="xsd:string[][${rows.length}]" xsi:type="ArrayOfArrayOf_xsd_string">${inner}</in${i}>`;
      }
      return `<in${i} xsi:type="${type}">${esc(value as string)}</in${i}>`;
    })
    .join('');
  return `${ENV_OPEN}<${operation}>${params}</${operation}>${ENV_CLOSE}`;
}

function items(values: string[]): string {
  return values.map((v) => `<item>${esc(v)}</item>`).join('');
}

function arrayParam(name: string, values: string[]): string {
  return `<${name} SOAP-ENC:arrayType="xsd:string[${values.length}]" xsi:type="ArrayOf_xsd_string">${items(values)}</${name}>`;
}

/** The Ruby Savon (VCR) style: qualified operation, named children, no types, <element> items. */
export function named(service: string, operation: string, children: Record<string, string | string[]>): string {
  const body = Object.entries(children)
    .map(([name, value]) =>
      Array.isArray(value)
        ? `<${name}>${value.map((v) => `<element>${esc(v)}</element>`).join('')}</${name}>`
        : `<${name}>${esc(value)}</${name}>`,
    )
    .join('');
  return (
    '<?xml version="1.0" encoding="UTF-8"?><env:Envelope xmlns:env="http://schemas.xmlsoap.org/soap/envelope/"' +
    ` xmlns:impl="urn:api.broadmail.de/soap11/Rpc${service}"><env:Body><impl:${operation}>${body}</impl:${operation}></env:Body></env:Envelope>`
  );
}

/** Ten attribute names of the seeded lists, and a row of values for them. */
export const FIELDS = ['email', 'opt-in-id', 'description', 'media-type', 'entity-type', 'entity-id', 'firstname'];
export const rowFor = (id: string): string[] => [id, '7', 'test', 'email', 'contact', `c-${id.length}`, 'Ann'];
