// The embedded PGlite database and its pglite-socket server, run on a worker thread so that
// PostgreSQL's own work (WASM, single-threaded) never blocks the main event loop that
// acknowledges ingestion requests. The main thread talks to it over the loopback socket, exactly
// as before; this file is plain JavaScript so it runs in a worker without a TypeScript loader.
//
// Protocol (worker messages): → {type:'ready', port} | {type:'failed', message}
//                             ← {type:'stop'}  → {type:'stopped'}
import { parentPort, workerData } from 'node:worker_threads';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';

const { dataDir } = workerData;
let db;
let server;
try {
  db = await PGlite.create({ dataDir });
  // The pg pool uses one connection, but when pg-pool drops a connection after a query error it
  // opens the next one before the old socket has closed. With the default maxConnections of 1,
  // Node's net server refuses that new socket and the query fails with "Connection terminated
  // unexpectedly". pglite-socket multiplexes connections onto the one PGlite session (keeping a
  // transaction on its connection), so a little headroom is safe.
  server = new PGLiteSocketServer({ db, host: '127.0.0.1', port: 0, maxConnections: 4 });
  await server.start();
  const port = Number(server.getServerConn().split(':').pop());
  parentPort.postMessage({ type: 'ready', port });
} catch (error) {
  await db?.close().catch(() => undefined);
  parentPort.postMessage({
    type: 'failed',
    message: error instanceof Error ? error.message : String(error),
  });
  parentPort.close();
}

parentPort.on('message', async (message) => {
  if (message?.type !== 'stop') return;
  try {
    await server?.stop();
    await db?.close();
  } finally {
    parentPort.postMessage({ type: 'stopped' });
    parentPort.close();
  }
});
