import { readFile } from 'node:fs/promises';
import SwaggerParser from '@apidevtools/swagger-parser';
import { describe, expect, it } from 'vitest';
import { buildOpenApiDocument, openApiText } from './openapi';

describe('the capture API OpenAPI document', () => {
  it('is a valid OpenAPI 3.1 document', async () => {
    const doc = buildOpenApiDocument();
    await expect(SwaggerParser.validate(structuredClone(doc) as never)).resolves.toBeTruthy();
  });

  it('documents every status the collector answers, each with a JSON body', () => {
    const paths = buildOpenApiDocument().paths as Record<
      string,
      { post: { responses: Record<string, { content?: unknown }> } }
    >;
    expect(Object.keys(paths).sort()).toEqual([
      '/api/v1/batch',
      '/api/v1/capture',
      '/api/v1/identify',
    ]);
    for (const path of Object.values(paths)) {
      const statuses = Object.keys(path.post.responses).sort();
      expect(statuses).toEqual(['200', '400', '401', '403', '413', '429', '500', '503']);
      for (const r of Object.values(path.post.responses)) expect(r.content).toBeDefined();
    }
  });

  it('is what docs/openapi.json holds (run `npm run tl -- openapi` after changing the API)', async () => {
    expect(await readFile('docs/openapi.json', 'utf8')).toBe(openApiText());
  });
});
