// The workspace a browser request is about comes from the URL (/w/<slug>/…).
export const WORKSPACE_HEADER = 'x-tl-workspace';

export function workspaceSlugFromPath(pathname: string): string | undefined {
  const match = /^\/w\/([a-z0-9-]{1,64})(?:\/|$)/.exec(pathname);
  return match?.[1];
}
