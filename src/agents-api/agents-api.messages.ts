/**
 * German messages for the agents API (README § `/api`), as an example of `messages`: a client
 * sending `Accept-Language: de` reads these; the codes, and every other language, stay as
 * documented.
 */
export const AGENTS_API_MESSAGES_DE: Readonly<Record<string, string>> = {
  AGENT_NAME_INVALID: 'Der Agentenname muss 1 bis 255 Zeichen lang sein',
  AGENT_IDENTIFIER_INVALID:
    'Die Kennung muss 1 bis 50 Zeichen lang sein, mit einem Buchstaben beginnen und darf nur Kleinbuchstaben, Ziffern und Bindestriche enthalten',
  AGENT_IDENTIFIER_TAKEN: 'Ein Agent mit dieser Kennung existiert bereits',
  DEFAULT_AGENT_NOT_DELETABLE: 'Der Standardagent kann nicht gelöscht werden',
  AGENT_ALREADY_DEFAULT: 'Der Agent ist bereits der Standardagent',
  SELECTIVE_MODE_WITHOUT_SECRETS: 'Der selektive Geheimnismodus erfordert zugewiesene Geheimnisse',
  AGENT_SECRETS_NOT_FOUND: 'Ein oder mehrere Geheimnisse wurden nicht gefunden',
  AGENT_NOT_FOUND: 'Agent nicht gefunden',
  SECRET_NOT_FOUND: 'Geheimnis nicht gefunden',
  RULE_NOT_FOUND: 'Richtlinienregel nicht gefunden',
  UNKNOWN_PROVIDER: 'Unbekannter Anbieter: {provider}',
  PROVIDER_NOT_AVAILABLE: 'Der Anbieter „{provider}“ ist nicht verfügbar',
};
