// Node's `url` as @vscode/debugadapter uses it (`new url.URL(...)` for file URIs): the browser's
// own URL. scripts/build.mjs maps `url` here for the browser build only.

export const URL = globalThis.URL;
