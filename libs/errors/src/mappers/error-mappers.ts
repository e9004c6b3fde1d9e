import type { ErrorMapper } from '../core/error.mapping.js';
import { httpClientErrors } from './http-client.mapper.js';
import { mongooseErrors } from './mongoose.mapper.js';
import { prismaErrors } from './prisma.mapper.js';
import { typeormErrors } from './typeorm.mapper.js';

/**
 * The mappers `ErrorsModule` applies when `mappers` is not set: `[prismaErrors(),
 * typeormErrors(), mongooseErrors(), httpClientErrors()]`. Each recognizes its errors by their
 * documented shape, so none of those packages is needed. Spread it to add your own in front
 * (`mappers: [myMapper, ...defaultErrorMappers]`); `mappers: []` turns mapping off.
 */
export const defaultErrorMappers: readonly ErrorMapper[] = Object.freeze([
  prismaErrors(),
  typeormErrors(),
  mongooseErrors(),
  httpClientErrors(),
]);
