// Resolves the paths given to an import (files or directories) into the files to read, each with
// its format. A directory contributes every supported file directly inside it, sorted by name, so
// the order (and the batch boundaries) of an import are the same on every run; anything else in it
// (ground_truth.json, README, …) is skipped. A file named explicitly must have a supported type.
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { AppError } from '../../errors';

export type ImportFormat = 'ndjson' | 'csv' | 'parquet';

export interface ImportFile {
  path: string;
  format: ImportFormat;
  bytes: number;
}

const EXTENSIONS: Record<string, ImportFormat> = {
  '.ndjson': 'ndjson',
  '.jsonl': 'ndjson',
  '.csv': 'csv',
  '.parquet': 'parquet',
};

export const SUPPORTED_EXTENSIONS = Object.keys(EXTENSIONS);

/** The format an extension stands for, or undefined (case-insensitive). */
export function formatOf(file: string): ImportFormat | undefined {
  return EXTENSIONS[path.extname(file).toLowerCase()];
}

export async function listImportFiles(paths: readonly string[]): Promise<ImportFile[]> {
  if (paths.length === 0)
    throw new AppError('BAD_REQUEST', 'Name at least one file or directory to import.');
  const files: ImportFile[] = [];
  for (const given of paths) {
    const full = path.resolve(given);
    const info = await stat(full).catch(() => undefined);
    if (!info)
      throw new AppError('NOT_FOUND', `${given} does not exist. Check the path and try again.`, {
        path: given,
      });
    if (info.isDirectory()) {
      const names = (await readdir(full, { withFileTypes: true }))
        .filter((d) => d.isFile() && formatOf(d.name))
        .map((d) => d.name)
        .sort();
      for (const name of names) {
        const file = path.join(full, name);
        files.push({ path: file, format: formatOf(name)!, bytes: (await stat(file)).size });
      }
      continue;
    }
    const format = formatOf(full);
    if (!format)
      throw new AppError(
        'BAD_REQUEST',
        `${given} is not a supported file: use ${SUPPORTED_EXTENSIONS.join(', ')}.`,
        { path: given },
      );
    files.push({ path: full, format, bytes: info.size });
  }
  if (files.length === 0)
    throw new AppError(
      'BAD_REQUEST',
      `No file to import in ${paths.join(', ')}: expected ${SUPPORTED_EXTENSIONS.join(', ')} files.`,
    );
  return files;
}
