import { describe, expect, it } from 'vitest';
import { safeNextPath } from './safe-redirect';
import { workspaceSlugFromPath } from './trpc/workspace-header';

describe('safeNextPath', () => {
  // Open-redirect protection for /login?next=…
  it('keeps same-site paths and drops everything else', () => {
    expect(safeNextPath('/w/demo/sql')).toBe('/w/demo/sql');
    expect(safeNextPath(['/w/demo', '/x'])).toBe('/w/demo');
    for (const bad of [
      undefined,
      '',
      'https://evil.example',
      '//evil.example',
      '/\\evil.example',
      'javascript:alert(1)',
    ]) {
      expect(safeNextPath(bad)).toBe('/');
    }
  });
});

describe('workspaceSlugFromPath', () => {
  // The tRPC client sends this slug as the workspace of every request.
  it('reads the slug of /w/<slug>/… only', () => {
    expect(workspaceSlugFromPath('/w/demo/dashboards')).toBe('demo');
    expect(workspaceSlugFromPath('/w/e2e-1a2b')).toBe('e2e-1a2b');
    expect(workspaceSlugFromPath('/login')).toBeUndefined();
    expect(workspaceSlugFromPath('/w/')).toBeUndefined();
    expect(workspaceSlugFromPath('/w/UPPER/x')).toBeUndefined();
  });
});
