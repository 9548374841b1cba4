/** A same-site path to continue to after sign-in; anything else (other origins, protocol-relative) becomes "/". */
export function safeNextPath(value: string | string[] | undefined): string {
  const v = Array.isArray(value) ? value[0] : value;
  if (!v || !v.startsWith('/') || v.startsWith('//') || v.startsWith('/\\')) return '/';
  return v;
}
