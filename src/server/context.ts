// What every request handler needs: the documents, the settings, what the client can do, and the
// step every position request starts with (params checked → the document's analysis → offset).

import { ErrorCodes, ResponseError, type ClientCapabilities, type Connection } from 'vscode-languageserver';
import type { Analysis } from '../dsl/features/analysis';
import type { ServerConfig } from './config';
import type { DocumentStore } from './documentStore';
import { documentUri, positionOf } from './params';

export interface ServerContext {
  readonly connection: Connection;
  readonly store: DocumentStore;
  config(): ServerConfig;
  client(): ClientCapabilities;
}

export const invalidParams = (what: string): ResponseError<void> => new ResponseError(ErrorCodes.InvalidParams, `invalid params: ${what}`);

export interface AtDocument {
  readonly uri: string;
  /** Undefined for a document that is not open (or too large): the request answers empty. */
  readonly analysis: Analysis | undefined;
}

export interface AtPosition extends AtDocument {
  readonly offset: number;
}

export function atDocument(cx: ServerContext, params: unknown): AtDocument | ResponseError<void> {
  const uri = documentUri(params);
  if (uri === undefined) return invalidParams('textDocument.uri');
  return { uri, analysis: cx.store.analysis(uri) };
}

export function atPosition(cx: ServerContext, params: unknown): AtPosition | ResponseError<void> {
  const d = atDocument(cx, params);
  if (d instanceof ResponseError) return d;
  const position = positionOf(params);
  if (!position) return invalidParams('position');
  return { ...d, offset: d.analysis ? d.analysis.lines.offsetAt(position) : 0 };
}
