import { Server } from 'node:net';

/** What a loaded file tried to do that a documentation command must not: start a server. */
export interface ListenGuard {
  /** True once something called `listen` on a server since the guard was set. */
  readonly listened: boolean;
  /** Puts `listen` back. */
  restore(): void;
}

/**
 * Stops every server started in this process from listening, and remembers it: the CLI loads an
 * app's compiled files, and one that starts the app (its `main.js`, whose bootstrap ends with
 * `app.listen()`) would otherwise open a port and keep the command running until killed. Every
 * Node server (`http`, `https`, `net`, and so Express, Fastify and Nest) listens through
 * `net.Server.prototype.listen`; the stopped call opens nothing, so whatever waited on it stays
 * pending and holds nothing open.
 */
export function guardListen(): ListenGuard {
  const original = Server.prototype.listen;
  const guard = {
    listened: false,
    restore: () => {
      Server.prototype.listen = original;
    },
  };
  Server.prototype.listen = function stoppedListen(this: Server) {
    guard.listened = true;
    return this;
  } as typeof original;
  return guard;
}
