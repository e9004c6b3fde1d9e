/**
 * A numeric command-line option of `npm run bench` or `npm run load` (node:util's parseArgs reads
 * every value as a string): a typo fails at start-up rather than as NaN rounds or seconds.
 */
export function numberOption(name: string, value: string): number {
  const number = Number(value);
  if (!Number.isFinite(number) || number < 0) {
    throw new Error(`--${name} must be a non-negative number, got "${value}"`);
  }
  return number;
}
