import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { type RequestWithHeaders, readCookie } from './dashboard-api.cookies.js';

/** `@Cookie('refresh_token')`: one cookie of the request, undefined when it was not sent. */
export const Cookie = createParamDecorator((name: string, context: ExecutionContext) =>
  readCookie(context.switchToHttp().getRequest<RequestWithHeaders>(), name),
);
