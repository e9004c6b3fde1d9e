import { type Socket, connect } from 'node:net';

// A one-request-per-connection HTTP/1.1 client on node:net, for `npm run load`'s malformed
// traffic: what it sends is exactly the bytes given (bad URLs, broken bodies, half bodies), and
// the response read back belongs to that request whatever the server does with the connection
// afterwards (it closes it after a parser error, a 413, …).

export interface RawResponse {
  status: number;
  /** Lower-case names; repeated headers joined with ', '. */
  headers: Record<string, string>;
  body: string;
}

export interface RawOutcome {
  response?: RawResponse;
  /** What went wrong before a whole response arrived: 'reset', 'closed', 'timeout', …. */
  failure?: string;
}

export interface RawRequest {
  /** Request line and headers, CRLFs included, ending in an empty line. */
  head: Buffer;
  body?: Buffer;
  /** Send only this many bytes of `body`, then destroy the connection without reading. */
  abortAfter?: number;
  timeoutMs?: number;
}

/** `METHOD target HTTP/1.1` with headers; `target` as bytes on the wire (UTF-8, not escaped). */
export function requestHead(
  method: string,
  target: string,
  headers: Readonly<Record<string, string>>,
): Buffer {
  const lines = [`${method} ${target} HTTP/1.1`, 'Host: 127.0.0.1'];
  for (const [name, value] of Object.entries(headers)) lines.push(`${name}: ${value}`);
  return Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'utf8');
}

/** Parses one response from `data`; undefined while incomplete (`ended`: the server closed). */
export function parseResponse(data: Buffer, ended: boolean): RawResponse | undefined {
  const headEnd = data.indexOf('\r\n\r\n');
  if (headEnd === -1) return undefined;
  const [statusLine, ...headerLines] = data.subarray(0, headEnd).toString('latin1').split('\r\n');
  const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(statusLine ?? '')?.[1] ?? Number.NaN);
  const headers: Record<string, string> = {};
  for (const line of headerLines) {
    const colon = line.indexOf(':');
    if (colon === -1) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    headers[name] = name in headers ? `${headers[name]}, ${value}` : value;
  }
  let rest = data.subarray(headEnd + 4);
  if (/\bchunked\b/i.test(headers['transfer-encoding'] ?? '')) {
    const chunks: Buffer[] = [];
    for (;;) {
      const lineEnd = rest.indexOf('\r\n');
      if (lineEnd === -1) return undefined;
      const size = Number.parseInt(rest.subarray(0, lineEnd).toString('latin1'), 16);
      if (Number.isNaN(size)) return { status, headers, body: '<bad chunk>' };
      if (rest.length < lineEnd + 2 + size + 2) return undefined;
      if (size === 0) break;
      chunks.push(rest.subarray(lineEnd + 2, lineEnd + 2 + size));
      rest = rest.subarray(lineEnd + 2 + size + 2);
    }
    return { status, headers, body: Buffer.concat(chunks).toString('utf8') };
  }
  if (headers['content-length'] !== undefined) {
    const length = Number(headers['content-length']);
    if (rest.length < length) return undefined;
    return { status, headers, body: rest.subarray(0, length).toString('utf8') };
  }
  // No length: the body runs to the end of the connection.
  return ended ? { status, headers, body: rest.toString('utf8') } : undefined;
}

/** One request on a new connection; never rejects. */
export function rawRequest(port: number, request: RawRequest): Promise<RawOutcome> {
  return new Promise((resolve) => {
    const socket: Socket = connect({ host: '127.0.0.1', port });
    const received: Buffer[] = [];
    let size = 0;
    let settled = false;
    const finish = (outcome: RawOutcome) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(outcome);
    };
    const timer = setTimeout(() => finish({ failure: 'timeout' }), request.timeoutMs ?? 15_000);
    const tryParse = (ended: boolean) => {
      if (size === 0) return false;
      const response = parseResponse(Buffer.concat(received, size), ended);
      if (response !== undefined) finish({ response });
      return response !== undefined;
    };
    socket.setNoDelay(true);
    socket.on('connect', () => {
      if (request.abortAfter !== undefined) {
        socket.write(Buffer.concat([request.head, request.body!.subarray(0, request.abortAfter)]));
        // Let the bytes go out, then drop the connection: no response is waited for.
        setImmediate(() => finish({}));
        return;
      }
      socket.write(
        request.body === undefined ? request.head : Buffer.concat([request.head, request.body]),
      );
    });
    socket.on('data', (chunk: Buffer) => {
      received.push(chunk);
      size += chunk.length;
      tryParse(false);
    });
    socket.on('end', () => {
      if (!tryParse(true)) finish({ failure: size === 0 ? 'closed' : 'closed mid-response' });
    });
    socket.on('error', (error: NodeJS.ErrnoException) => {
      if (!tryParse(true)) {
        finish({
          failure:
            error.code === 'ECONNRESET' || error.code === 'EPIPE'
              ? 'reset'
              : (error.code ?? error.message),
        });
      }
    });
  });
}
