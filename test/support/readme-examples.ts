import { readFileSync } from 'node:fs';

/** One example a README documents: the request (in an HTML comment) and the body shown after it. */
export interface ReadmeExample {
  /** The heading the example sits under, for test names. */
  title: string;
  request: {
    app: 'reference' | 'fixture';
    method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
    path: string;
    headers?: Record<string, string>;
    /** Sent as it is when a string, as JSON otherwise. */
    body?: unknown;
    status: number;
  };
  /** The JSON block that follows the comment, parsed. */
  body: Record<string, unknown>;
}

const EXAMPLE = /<!-- example: (\{.*?\}) -->[\s\S]*?```json\n([\s\S]*?)```/g;

/**
 * Reads every `<!-- example: {...} -->` comment of a README with the ```json block after it, so
 * tests can replay the request and compare the body the README shows.
 */
export function readmeExamples(file: string): ReadmeExample[] {
  const text = readFileSync(file, 'utf8');
  const examples: ReadmeExample[] = [];
  for (const match of text.matchAll(EXAMPLE)) {
    const before = text.slice(0, match.index);
    const title = [...before.matchAll(/^#+ (.+)$/gm)].at(-1)?.[1] ?? 'example';
    examples.push({ title, request: JSON.parse(match[1]!), body: JSON.parse(match[2]!) });
  }
  return examples;
}
