// Shape checks for what a client sends. The protocol library does not validate params, and the
// server must survive anything: each check is a type guard, and a request whose params fail one
// gets an InvalidParams error instead of reaching a feature.

import type { Position, Range } from 'vscode-languageserver';

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;
const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0;

function isPosition(v: unknown): v is Position {
  return isObject(v) && isCount(v.line) && isCount(v.character);
}

export function isRange(v: unknown): v is Range {
  return isObject(v) && isPosition(v.start) && isPosition(v.end);
}

/** The document URI of `{ textDocument: { uri } }`, if well formed. */
export function documentUri(params: unknown): string | undefined {
  if (!isObject(params) || !isObject(params.textDocument)) return undefined;
  const uri = params.textDocument.uri;
  return typeof uri === 'string' && uri.length > 0 ? uri : undefined;
}

export function positionOf(params: unknown): Position | undefined {
  return isObject(params) && isPosition(params.position) ? params.position : undefined;
}

export function rangeOf(params: unknown): Range | undefined {
  return isObject(params) && isRange(params.range) ? params.range : undefined;
}

export function field(params: unknown, name: string): unknown {
  return isObject(params) ? params[name] : undefined;
}

export { isObject };
