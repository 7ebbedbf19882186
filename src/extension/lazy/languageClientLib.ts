// vscode-languageclient, bundled as its own file (dist/lazy/languageClientLib.js, see
// scripts/build.mjs) so activation does not parse it: languageClient.ts loads it when the first gvt
// document opens.
export { LanguageClient, TransportKind } from 'vscode-languageclient/node';
