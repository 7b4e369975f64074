import { domainToASCII, domainToUnicode } from 'node:url';

// The e-mail rule (docs/crm.md, "E-mail rule"): a deliberately conservative subset of RFC 5321/5322
// that Optimizely and ordinary mail servers accept. ASCII only (no SMTPUTF8), no quoted local parts,
// no IP-literal domains, at least two domain labels and an alphabetic (or punycode) top-level label.
// The order of the checks matters: non-ASCII is refused before anything lower-cases, because Unicode
// case folding maps some characters onto ASCII (the Kelvin sign U+212A lower-cases to `k`), which
// would let a look-alike address through as a different, valid one.

const LOCAL_PART = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/;
const ALPHANUMERIC = /[A-Za-z0-9]/;
const LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
const TOP_LABEL = /^(?:[a-z]{2,63}|xn--[a-z0-9-]{1,59})$/;
/** Anything outside printable ASCII. */
const NOT_ASCII = /[^\u0020-\u007E]/;
/** What a spreadsheet evaluates as a formula (src/csv/formula-cells.ts); never the start of an address. */
const FORMULA_LEAD = /^[=+\-@\t\r]/;

/** How a domain written in Unicode (an IDN such as `münchen.de`) is treated. */
export type IdnDomainPolicy = 'reject' | 'punycode';

export interface EmailRuleOptions {
  /** Lower-case the local part as well as the domain (default true; see docs/crm.md). */
  lowercaseLocalPart: boolean;
  /** `reject` (default): a Unicode domain excludes the row; `punycode`: it is converted (`xn--…`). */
  idnDomains?: IdnDomainPolicy;
}

/** Which part of the rule an address broke (docs/crm.md lists each with an example). */
export type EmailRuleBreach =
  'too_long' | 'formula_leading' | 'at_sign' | 'non_ascii' | 'idn_domain' | 'local_part' | 'punctuation_only' | 'domain' | 'punycode';

export type EmailCheck =
  | { ok: true; address: string; /** The Unicode domain was converted to punycode. */ idnConverted: boolean }
  | { ok: false; breach: EmailRuleBreach };

/** The normalised address (trimmed, domain lower-cased), or undefined when it breaks the rule. */
export function normaliseEmail(value: string, options: EmailRuleOptions): string | undefined {
  const check = checkEmail(value, options);
  return check.ok ? check.address : undefined;
}

/** The normalised address and whether its domain was converted, or which rule it broke. */
export function checkEmail(value: string, options: EmailRuleOptions): EmailCheck {
  const trimmed = value.trim();
  const fail = (breach: EmailRuleBreach): EmailCheck => ({ ok: false, breach });
  if (trimmed.length > 254) return fail('too_long');
  if (FORMULA_LEAD.test(trimmed)) return fail('formula_leading');
  const at = trimmed.lastIndexOf('@');
  if (at <= 0 || trimmed.indexOf('@') !== at) return fail('at_sign');
  const local = trimmed.slice(0, at);
  if (NOT_ASCII.test(local)) return fail('non_ascii');
  if (local.length > 64 || !LOCAL_PART.test(local)) return fail('local_part');
  if (!ALPHANUMERIC.test(local)) return fail('punctuation_only');
  const domain = asciiDomain(trimmed.slice(at + 1), options.idnDomains ?? 'reject');
  if (typeof domain !== 'object') return fail(domain);
  const breach = domainBreach(domain.ascii);
  if (breach) return fail(breach);
  const address = `${options.lowercaseLocalPart ? local.toLowerCase() : local}@${domain.ascii}`;
  return address.length > 254 ? fail('too_long') : { ok: true, address, idnConverted: domain.converted };
}

/**
 * The domain in lower-case ASCII. Each Unicode label is converted; a label whose conversion is not an
 * `xn--` label (the Kelvin sign, full-width letters or dots: compatibility mappings onto ASCII) is
 * `non_ascii` under either policy. A convertible Unicode domain is then `idn_domain` under `reject`.
 */
function asciiDomain(domain: string, policy: IdnDomainPolicy): { ascii: string; converted: boolean } | EmailRuleBreach {
  if (!NOT_ASCII.test(domain)) return { ascii: domain.toLowerCase(), converted: false };
  const labels: string[] = [];
  for (const label of domain.split('.')) {
    if (!NOT_ASCII.test(label)) {
      labels.push(label.toLowerCase());
      continue;
    }
    const converted = domainToASCII(label);
    if (!converted.startsWith('xn--') || converted.includes('.')) return 'non_ascii';
    labels.push(converted);
  }
  return policy === 'reject' ? 'idn_domain' : { ascii: labels.join('.'), converted: true };
}

function domainBreach(domain: string): EmailRuleBreach | undefined {
  if (domain.length === 0 || domain.length > 253) return 'domain';
  const labels = domain.split('.');
  if (labels.length < 2) return 'domain';
  const top = labels[labels.length - 1] as string;
  if (!labels.every((label) => LABEL.test(label)) || !TOP_LABEL.test(top)) return 'domain';
  return labels.some((label) => label.startsWith('xn--') && !validPunycode(label)) ? 'punycode' : undefined;
}

/** An `xn--` label must decode to Unicode that encodes back to exactly the same label. */
function validPunycode(label: string): boolean {
  const unicode = domainToUnicode(label);
  return unicode !== '' && unicode !== label && domainToASCII(unicode) === label;
}
