import { describe, expect, it } from 'vitest';
import { formatBytes, summaryText } from './generate';

describe('tl generate output', () => {
  it('formats sizes in decimal units', () => {
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(84_828_101)).toBe('84.8 MB');
    expect(formatBytes(4_239_377_410)).toBe('4.2 GB');
  });

  it('summarises events, users, seconds and bytes', () => {
    const text = summaryText(
      {
        events: 1000,
        identifies: 20,
        users: 15,
        churnedUsers: 4,
        nextUser: 15,
        outDir: '/tmp/x',
        bytes: { events: 400_000, identifies: 6_000, groundTruth: 3_000, total: 409_000 },
      },
      2,
    );
    expect(text).toBe(
      'Wrote 1000 events, 20 identifies for 15 users (4 churned) to /tmp/x\n2.0 s, 500 events/s, 409.0 kB',
    );
  });
});
