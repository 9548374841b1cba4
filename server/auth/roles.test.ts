import { describe, expect, it } from 'vitest';
import { hasRole, ROLES } from './roles';

describe('hasRole', () => {
  // Protects the role order that every workspaceProcedure relies on.
  it('orders viewer < analyst < admin', () => {
    expect(hasRole('viewer', 'viewer')).toBe(true);
    expect(hasRole('viewer', 'analyst')).toBe(false);
    expect(hasRole('analyst', 'viewer')).toBe(true);
    expect(hasRole('analyst', 'admin')).toBe(false);
    expect(hasRole('admin', 'analyst')).toBe(true);
  });
  // Default deny: no membership means no access, whatever the minimum.
  it('denies a missing role', () => {
    for (const min of ROLES) {
      expect(hasRole(undefined, min)).toBe(false);
      expect(hasRole(null, min)).toBe(false);
    }
  });
});
