import { describe, expect, it } from 'vitest';
import { nodeLabel } from './paths-sankey';

describe('nodeLabel', () => {
  it('keeps a name that fits the gap before the next column', () => {
    expect(nodeLabel('signed_up', '742', 150)).toBe('signed_up');
  });

  it('shortens a name that would run under the next column, leaving room for the count', () => {
    // 117 px: (117 − 8) / 6.6 = 16 characters, 4 of them for " 742".
    const label = nodeLabel('experiment_exposed', '742', 117);
    expect(label).toBe('experiment_…');
    expect(label.length + ' 742'.length).toBeLessThanOrEqual(16);
  });

  it('never shows more than 20 characters, nor fewer than 4', () => {
    expect(nodeLabel('a_very_long_event_name_indeed', '1', 170)).toHaveLength(20);
    expect(nodeLabel('onboarding_completed', '12,345', 20)).toBe('onb…');
  });
});
