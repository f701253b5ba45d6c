// `npm run bench`: runs the webhook ingest / processing / subscription latency benchmark (bench/main.ts)
// and prints one table. Exits non-zero on failure; forces the exit if a handle is left open after cleanup.
import { main } from '../bench/main.js';

main()
  .catch((err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  })
  .finally(() => {
    setTimeout(() => {
      console.error('bench: a handle kept the process alive after cleanup; exiting');
      process.exit();
    }, 3000).unref();
  });
