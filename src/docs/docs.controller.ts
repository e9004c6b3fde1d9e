import { Controller, Get, Header } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { errorCatalog, renderErrorReference } from 'nest-api-errors';
import { API_FORMATS } from '../api-formats.js';
import { TAGS } from '../openapi.js';

/** `GET /docs/errors`: the error reference of this API, generated from the catalog. */
@Controller('docs')
@ApiTags(TAGS.docs)
export class DocsController {
  private readonly reference = renderErrorReference({
    format: 'timestamped',
    docsBaseUrl: 'https://docs.platform.test/errors',
    title: 'Platform API error reference',
    // The reference app's own APIs use every shipped catalog.
    domains: [...new Set(errorCatalog().map((entry) => entry.domain))],
    // The format of each API's prefix, as ErrorsModule answers there.
    routes: API_FORMATS,
  });

  @Get('errors')
  @Header('Content-Type', 'text/markdown; charset=utf-8')
  @ApiOperation({ summary: 'The error reference of this API, as Markdown', security: [] })
  @ApiProduces('text/markdown')
  @ApiOkResponse({ description: 'The error reference', schema: { type: 'string' } })
  errors(): string {
    return this.reference;
  }
}
