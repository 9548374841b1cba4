import 'server-only';
// The path of the request being rendered, for "sign in and come back" redirects from layouts
// (which Next.js does not tell the current path). server/main.ts sets this header from the
// request URL on every request, overwriting anything a client sent.
import { headers } from 'next/headers';
import { PATH_HEADER } from './path-header';

export async function currentPath(fallback: string): Promise<string> {
  const value = (await headers()).get(PATH_HEADER);
  return value && value.startsWith('/') ? value : fallback;
}
