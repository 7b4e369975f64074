// Typed reads of bound parameters; a wrong or missing primitive is an argument fault, as Axis
// cannot pass null to a Java primitive.
import { FAULT_TEXTS } from '../../optimizely/api/fault-texts';
import type { BoundParams } from '../soap/binder';
import { SoapFault } from '../soap/soap-fault';

export function invalidArgument(detail: string): SoapFault {
  return SoapFault.impl(`${FAULT_TEXTS.invalidArgument}: ${detail}`);
}

export function num(params: BoundParams, name: string): number {
  const value = params[name];
  if (typeof value !== 'number') throw invalidArgument(`${name} is missing`);
  return value;
}

export function bool(params: BoundParams, name: string): boolean {
  const value = params[name];
  if (typeof value !== 'boolean') throw invalidArgument(`${name} is missing`);
  return value;
}

export function str(params: BoundParams, name: string): string | null {
  const value = params[name];
  return typeof value === 'string' ? value : null;
}

export function strs(params: BoundParams, name: string): (string | null)[] {
  const value = params[name];
  return Array.isArray(value) ? (value as (string | null)[]) : [];
}

export function rows(params: BoundParams, name: string): (string | null)[][] {
  const value = params[name];
  return Array.isArray(value) ? (value as (string | null)[][]) : [];
}
