/** Request header carrying the rendered path; set by server/main.ts, read by lib/current-path.ts. */
export const PATH_HEADER = 'x-tl-pathname';
