// Number formatting shared by the admin and data pages.

/** Thousands separators in the viewer's locale: 203,022. */
export const formatCount = new Intl.NumberFormat().format;

/** Binary units for sizes on disk: 512 B, 1.5 KiB, 20.0 MiB, 1.20 GiB. */
export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 ** 2) return `${(n / 1024).toFixed(1)} KiB`;
  if (n < 1024 ** 3) return `${(n / 1024 ** 2).toFixed(1)} MiB`;
  return `${(n / 1024 ** 3).toFixed(2)} GiB`;
}
