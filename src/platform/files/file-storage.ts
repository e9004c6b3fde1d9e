import { Injectable } from '@nestjs/common';

/** Injection token of the object store behind vault files; tests swap in a failing one. */
export const FILE_STORAGE = Symbol('FILE_STORAGE');

/** The object store vault files live in (S3, GCS, … in a real deployment). */
export interface FileStorage {
  put(key: string, content: Buffer): Promise<void>;
  presign(key: string, expiresInSeconds: number): Promise<string>;
}

/** Keeps objects in memory and "presigns" with a local URL. */
@Injectable()
export class InMemoryFileStorage implements FileStorage {
  private readonly objects = new Map<string, Buffer>();

  async put(key: string, content: Buffer): Promise<void> {
    this.objects.set(key, content);
  }

  async presign(key: string, expiresInSeconds: number): Promise<string> {
    const expires = Math.floor(Date.now() / 1000) + expiresInSeconds;
    return `https://files.platform.test/${encodeURIComponent(key)}?expires=${expires}`;
  }
}
