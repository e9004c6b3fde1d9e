import { Controller, Get, Header } from '@nestjs/common';
import { renderErrorReference } from 'nest-api-errors';

/** `GET /docs/errors`: the error reference of this API, generated from the catalog. */
@Controller('docs')
export class DocsController {
  private readonly reference = renderErrorReference({
    format: 'timestamped',
    docsBaseUrl: 'https://docs.platform.test/errors',
    title: 'Platform API error reference',
  });

  @Get('errors')
  @Header('Content-Type', 'text/markdown; charset=utf-8')
  errors(): string {
    return this.reference;
  }
}
