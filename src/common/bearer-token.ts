/**
 * The credential of an `Authorization: Bearer <credential>` header, undefined without one. Four
 * of the reference app's APIs accept theirs this way (an OAuth token, an API key, an access token,
 * a JWT); each guard decides what a missing or unknown one means in its API.
 */
export function bearerToken(request: { headers: Record<string, unknown> }): string | undefined {
  const header = request.headers.authorization;
  return typeof header === 'string' && header.startsWith('Bearer ') ? header.slice(7) : undefined;
}
