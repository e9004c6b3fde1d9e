import { RulesException } from './domain.bases.js';

// Messages: "Rules" of the documented API the `simple` format reproduces (README § Formats).

/** `RULE_RATE_LIMIT_FIELDS_REQUIRED` 400: action rate_limit needs rateLimit and rateLimitWindow. */
export class RuleRateLimitFieldsRequiredException extends RulesException.define({
  code: 'RULE_RATE_LIMIT_FIELDS_REQUIRED',
  status: 400,
  message: 'rateLimit and rateLimitWindow are required when action is rate_limit',
}) {}

/** `EMPTY_UPDATE` 400: a PATCH with an empty body. */
export class EmptyUpdateException extends RulesException.define({
  code: 'EMPTY_UPDATE',
  status: 400,
  message: 'At least one field must be provided',
}) {}

/** `RULE_NOT_FOUND` 404: Policy rule not found. */
export class RuleNotFoundException extends RulesException.define({
  code: 'RULE_NOT_FOUND',
  status: 404,
  message: 'Policy rule not found',
}) {}

/** Every rules class, in catalog order. */
export const RULES_EXCEPTIONS = [
  RuleRateLimitFieldsRequiredException,
  EmptyUpdateException,
  RuleNotFoundException,
] as const;
