// `npm run bench [-- --only=fanout,queries]`: runs the benchmarks (bench/main.ts; by default every section)
// and prints one table. Exits non-zero on failure; forces the exit if a handle is left open after cleanup.
import { main, SECTIONS, type Section } from '../bench/main.js';

function parseOnly(argv: string[]): Set<Section> | undefined {
  const arg = argv.find((a) => a.startsWith('--only='));
  if (!arg) return undefined;
  const names = arg.slice('--only='.length).split(',').map((s) => s.trim()).filter(Boolean);
  const unknown = names.filter((s) => !(SECTIONS as readonly string[]).includes(s));
  if (unknown.length || names.length === 0) {
    console.error(`bench: unknown section ${unknown.join(', ') || '(none given)'}; sections: ${SECTIONS.join(', ')}`);
    process.exit(2);
  }
  return new Set(names as Section[]);
}

const bad = process.argv.slice(2).filter((a) => !a.startsWith('--only='));
if (bad.length) {
  console.error(`bench: unknown argument ${bad.join(' ')}; usage: npm run bench [-- --only=${SECTIONS.join(',')}]`);
  process.exit(2);
}

main({ only: parseOnly(process.argv.slice(2)) })
  .catch((err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  })
  .finally(() => {
    setTimeout(() => {
      console.error(`bench: a handle kept the process alive after cleanup (${process.getActiveResourcesInfo().join(', ')}); exiting`);
      process.exit();
    }, 3000).unref();
  });
