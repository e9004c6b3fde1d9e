import { describe, expect, it } from 'vitest';
import { BackgroundErrorWriter } from './background.writer.js';

describe('BackgroundErrorWriter', () => {
  const writer = new BackgroundErrorWriter();
  const settings = {
    requestId: {
      enabled: true,
      header: 'x-request-id',
      generate: () => 'bg-1',
      trustIncoming: true,
    },
    docsBaseUrl: 'https://docs.example.com/errors',
  };

  it('gives a new request id, the kind as the method and the event, job or origin as the path', () => {
    expect(
      writer.context({ transport: 'background', kind: 'cron', name: 'yearly-report' }, settings),
    ).toEqual({
      requestId: 'bg-1',
      method: 'CRON',
      path: 'yearly-report',
      timestamp: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/),
      protocol: 'background',
      docsBaseUrl: 'https://docs.example.com/errors',
    });
    expect(
      writer.context(
        { transport: 'background', kind: 'process', name: 'unhandledRejection' },
        settings,
      ).method,
    ).toBe('PROCESS');
  });

  it('renders and writes nothing', () => {
    expect(writer.rendersBody).toBe(false);
    expect(writer.write()).toBeUndefined();
    expect(writer.writeFallback()).toBeUndefined();
  });
});
