import type { IncomingMessage } from 'node:http';
import type { RequestHeaders } from '../core/request-id.resolver.js';

/** Upgrade requests' headers by their TCP socket, for `ws` clients, which keep no handshake. */
const upgrades = new WeakMap<object, RequestHeaders>();

interface UpgradeEmitter {
  listenerCount(event: 'upgrade'): number;
  on(event: 'upgrade', listener: (request: IncomingMessage) => void): unknown;
  off(event: 'upgrade', listener: (request: IncomingMessage) => void): unknown;
}

/**
 * Keeps the headers of the WebSocket upgrade requests `server` receives, so that an error on a
 * `ws` connection can take its request id from the handshake (a socket.io socket keeps its own
 * `handshake`). Listens only when something already handles upgrades on that server (a gateway's
 * adapter): a lone `upgrade` listener would leave such requests unanswered. Returns how to stop.
 */
export function recordUpgradeHeaders(server: unknown): (() => void) | undefined {
  const emitter = server as Partial<UpgradeEmitter> | undefined;
  if (
    typeof emitter?.listenerCount !== 'function' ||
    typeof emitter.on !== 'function' ||
    typeof emitter.off !== 'function' ||
    emitter.listenerCount('upgrade') === 0
  ) {
    return undefined;
  }
  const record = (request: IncomingMessage) => {
    upgrades.set(request.socket, request.headers);
  };
  emitter.on('upgrade', record);
  return () => emitter.off!('upgrade', record);
}

/**
 * The headers a WebSocket client connected with: socket.io's `handshake.headers`, or for a `ws`
 * client those of its upgrade request (found by its TCP socket, `ws`'s `_socket`).
 */
export function handshakeHeaders(client: unknown): RequestHeaders | undefined {
  if (typeof client !== 'object' || client === null) {
    return undefined;
  }
  const { handshake, _socket: socket } = client as {
    handshake?: { headers?: RequestHeaders };
    _socket?: unknown;
  };
  if (typeof handshake?.headers === 'object' && handshake.headers !== null) {
    return handshake.headers;
  }
  return typeof socket === 'object' && socket !== null ? upgrades.get(socket) : undefined;
}
