import { Injectable } from '@nestjs/common';
import { ContentNotFoundException } from 'nest-api-errors';
import type { SdkEventBatchDto } from './sdk-api.dto.js';
import { type SdkContent, SdkStore } from './sdk-api.store.js';

/** What the SDK asks of the platform (README § `/api/sdk`): recording events, reading content. */
@Injectable()
export class SdkService {
  constructor(private readonly store: SdkStore) {}

  /** The demo keeps no events: it only counts what it accepted. */
  recordEvents(batch: SdkEventBatchDto): { accepted: number } {
    return { accepted: batch.events.length };
  }

  content(id: string): SdkContent {
    const content = this.store.contents.get(id);
    if (content === undefined) {
      throw new ContentNotFoundException();
    }
    return content;
  }
}
