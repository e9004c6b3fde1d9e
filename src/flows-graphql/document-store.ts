import type { ApolloDriverConfig } from '@nestjs/apollo';
import type { DocumentNode, Token } from 'graphql';

/** Apollo's `documentStore` (a `KeyValueCache<DocumentNode>`). */
type DocumentStore = NonNullable<ApolloDriverConfig['documentStore']>;

/**
 * Heap one token of a parsed document keeps, at most: graphql-js keeps every token (comments
 * included) in a list hanging off `document.loc`, and each AST node its `Location`. Measured on
 * Node 20 with graphql 16: 270–320 bytes a token for selections with arguments, 490 for a flat
 * list of fields.
 */
export const BYTES_PER_TOKEN = 512;

/** What `/graphql`'s document store may hold, counted with `documentBytes`. */
export const DOCUMENT_STORE_MAX_BYTES = 32 * 1024 * 1024;

/**
 * The heap a parsed, validated document keeps: its source text (which `loc.source` holds whole,
 * comments and padding included; two bytes a character at most) and its tokens.
 */
export function documentBytes(document: DocumentNode): number {
  const location = document.loc;
  if (location === undefined) {
    // Parsed without locations: no source and no tokens kept, only the AST, which takes less
    // than five times its JSON (3.6–4.9× measured with locations).
    return 5 * JSON.stringify(document).length;
  }
  let tokens = 0;
  for (let token: Token | null = location.startToken; token !== null; token = token.next) {
    tokens++;
  }
  return 2 * location.source.body.length + tokens * BYTES_PER_TOKEN;
}

/**
 * Apollo's cache of parsed and validated documents, bounded by the heap they keep. Apollo's own
 * default (an LRU of 30 MiB) counts `JSON.stringify(document)`, which leaves out the source text
 * and the tokens: a valid document padded with a 1 MB comment counts a few hundred bytes there
 * while it keeps a megabyte, so distinct documents of that kind grow the heap by their full size
 * until the process runs out of memory (`npm run load -- --graphql-heap --padded` measures it).
 * Least recently used documents go first; a document larger than the whole store is not kept (it is
 * parsed again when it comes back).
 */
export class BoundedDocumentStore implements DocumentStore {
  private readonly entries = new Map<string, { document: DocumentNode; bytes: number }>();
  private total = 0;

  constructor(readonly maxBytes: number = DOCUMENT_STORE_MAX_BYTES) {}

  /** Bytes held, as `documentBytes` counts them. */
  get bytes(): number {
    return this.total;
  }

  get size(): number {
    return this.entries.size;
  }

  // KeyValueCache is promise-based: `async` keeps the contract.
  async get(key: string): Promise<DocumentNode | undefined> {
    const entry = this.entries.get(key);
    if (entry === undefined) {
      return undefined;
    }
    // Most recently used last.
    this.entries.delete(key);
    this.entries.set(key, entry);
    return entry.document;
  }

  async set(key: string, document: DocumentNode): Promise<void> {
    this.remove(key);
    const bytes = documentBytes(document);
    if (bytes > this.maxBytes) {
      return;
    }
    this.entries.set(key, { document, bytes });
    this.total += bytes;
    for (const [oldest, entry] of this.entries) {
      if (this.total <= this.maxBytes) {
        break;
      }
      this.entries.delete(oldest);
      this.total -= entry.bytes;
    }
  }

  async delete(key: string): Promise<boolean> {
    return this.remove(key);
  }

  private remove(key: string): boolean {
    const entry = this.entries.get(key);
    if (entry === undefined) {
      return false;
    }
    this.entries.delete(key);
    this.total -= entry.bytes;
    return true;
  }
}
