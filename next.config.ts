import type { NextConfig } from 'next';

// Native and WASM packages stay outside the bundle so the custom server (server/main.ts)
// and the Next.js route handlers share one copy of each per process.
const nextConfig: NextConfig = {
  serverExternalPackages: [
    '@duckdb/node-api',
    '@duckdb/node-bindings',
    '@electric-sql/pglite',
    '@electric-sql/pglite-socket',
    'pg',
    '@prisma/adapter-pg',
    'pino',
    'onnxruntime-node',
    '@huggingface/tokenizers',
    'node-llama-cpp',
  ],
  poweredByHeader: false,
  typedRoutes: false,
  devIndicators: false,
};

export default nextConfig;
