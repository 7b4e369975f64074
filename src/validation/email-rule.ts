// The e-mail rule (docs/crm.md, "E-mail rule"): a deliberately conservative subset of RFC 5321/5322
// that Optimizely and ordinary mail servers accept. ASCII only (no SMTPUTF8), no quoted local parts,
// no IP-literal domains, at least two domain labels and an alphabetic (or punycode) top-level label.

const LOCAL_PART = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/;
const LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
const TOP_LABEL = /^(?:[a-z]{2,63}|xn--[a-z0-9-]{1,59})$/;

export interface EmailRuleOptions {
  /** Lower-case the local part as well as the domain (default true; see docs/crm.md). */
  lowercaseLocalPart: boolean;
}

/** The normalised address (trimmed, domain lower-cased), or undefined when it breaks the rule. */
export function normaliseEmail(value: string, options: EmailRuleOptions): string | undefined {
  const trimmed = value.trim();
  if (trimmed.length > 254) return undefined;
  const at = trimmed.lastIndexOf('@');
  if (at <= 0 || trimmed.indexOf('@') !== at) return undefined;
  const local = trimmed.slice(0, at);
  const domain = trimmed.slice(at + 1).toLowerCase();
  if (local.length > 64 || !LOCAL_PART.test(local)) return undefined;
  if (!validDomain(domain)) return undefined;
  return `${options.lowercaseLocalPart ? local.toLowerCase() : local}@${domain}`;
}

function validDomain(domain: string): boolean {
  if (domain.length === 0 || domain.length > 253) return false;
  const labels = domain.split('.');
  if (labels.length < 2) return false;
  const top = labels[labels.length - 1] as string;
  return labels.every((label) => LABEL.test(label)) && TOP_LABEL.test(top);
}
