// Child process for the kill -9 test: appends records as fast as it can and prints the id of
// every acknowledged one on stdout. The parent kills it with SIGKILL at a random moment.
import { WriteAheadLog } from './write-ahead-log';

const dir = process.argv[2]!;
const wal = await WriteAheadLog.open({ dir, segmentBytes: 64 * 1024, maxPendingBytes: 1e12 });
let id = 0;
process.stdout.write('ready\n');
for (;;) {
  const batch = Array.from({ length: 20 }, () => ++id);
  await Promise.all(
    batch.map((n) =>
      wal.append({ id: n, payload: 'x'.repeat(n % 300) }).then(() => {
        process.stdout.write(`${n}\n`);
      }),
    ),
  );
}
