// Bytes that break Content-Length framing, shared by the adapter's and the language server's
// hostile-input tests (both read through src/common/contentLengthFramer.ts). `body` is a message
// of the protocol under test, sent after a header that claims too few bytes.
export function malformedFrames(body: string): Array<[string, string]> {
  return [
    ['a Content-Length that is not a number', `Content-Length: abc\r\n\r\n${body}`],
    ['a negative Content-Length', 'Content-Length: -12\r\n\r\n{}'],
    ['a Content-Length shorter than the body', `Content-Length: 4\r\n\r\n${body}`],
    ['a BOM before the header', '\ufeffContent-Length: 2\r\n\r\n{}'],
    ['bytes that are no message at all', 'GET / HTTP/1.1\r\n\r\n'],
    ['a body that is not JSON', 'Content-Length: 5\r\n\r\nhello'],
    ['a JSON body that is not an object', 'Content-Length: 7\r\n\r\n[1,2,3]'],
  ];
}
