import { Injectable } from '@nestjs/common';

/**
 * Demo SDK keys (README § `/api/sdk`), printed at start-up: two active ones (two customers, each
 * with its own rate limit) and a revoked one.
 */
export const SDK_KEYS = {
  active: 'demo-sdk-key',
  another: 'demo-sdk-key-2',
  revoked: 'demo-sdk-revoked-key',
} as const;

/** A tour, tooltip or survey, as the SDK renders it. */
export interface SdkContent {
  id: string;
  kind: string;
  steps: number;
}

/**
 * The SDK's data: the keys that are active (a revoked key is simply not among them) and the
 * published content, seeded for every application instance.
 */
@Injectable()
export class SdkStore {
  readonly activeKeys: ReadonlySet<unknown> = new Set([SDK_KEYS.active, SDK_KEYS.another]);

  readonly contents = new Map<string, SdkContent>([
    ['tour_welcome', { id: 'tour_welcome', kind: 'tooltip', steps: 3 }],
  ]);
}
