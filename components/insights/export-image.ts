// Downloads: CSV text and a PNG of a chart card (html-to-image draws the DOM, with the computed
// colours of the current theme; elements marked data-export-ignore — buttons — are left out).
import { toPng } from 'html-to-image';

export function downloadBlob(blob: Blob, fileName: string) {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

export function downloadText(text: string, fileName: string, type = 'text/csv;charset=utf-8') {
  downloadBlob(new Blob([text], { type }), fileName);
}

export async function downloadPng(node: HTMLElement, fileName: string) {
  const background =
    getComputedStyle(node).backgroundColor || getComputedStyle(document.body).backgroundColor;
  const dataUrl = await toPng(node, {
    pixelRatio: 2,
    backgroundColor: background,
    cacheBust: true,
    filter: (n) => !(n instanceof HTMLElement && n.dataset.exportIgnore !== undefined),
  });
  const a = document.createElement('a');
  a.href = dataUrl;
  a.download = fileName;
  document.body.appendChild(a);
  a.click();
  a.remove();
}
