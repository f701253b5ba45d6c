// `npm run bench [-- --only=fanout,queries]`: runs the benchmarks (bench/main.ts; by default every section)
// and prints one table. `npm run bench -- --scale[=100000,1000000]`: the query section alone at each
// size (messages; contacts a tenth; by default 100,000, 1,000,000 and 10,000,000). Exits non-zero on
// failure; forces the exit if a handle is left open after cleanup.
import { main, SCALE_SIZES, SECTIONS, type Section } from '../bench/main.js';

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

/** The sizes of `--scale[=a,b,…]` (messages, at least 1,000 each), or undefined without it. */
function parseScale(argv: string[]): number[] | undefined {
  const arg = argv.find((a) => a === '--scale' || a.startsWith('--scale='));
  if (!arg) return undefined;
  if (arg === '--scale') return SCALE_SIZES;
  const sizes = arg.slice('--scale='.length).split(',').map((s) => Number(s.trim().replace(/_/g, '')));
  if (!sizes.length || sizes.some((x) => !Number.isInteger(x) || x < 1000)) {
    console.error(`bench: --scale takes message counts of at least 1000, e.g. --scale=100000,1000000 (got ${arg})`);
    process.exit(2);
  }
  return sizes;
}

const argv = process.argv.slice(2);
const bad = argv.filter((a) => !a.startsWith('--only=') && a !== '--scale' && !a.startsWith('--scale='));
if (bad.length || (argv.some((a) => a.startsWith('--only=')) && argv.some((a) => a.startsWith('--scale')))) {
  console.error(`bench: unknown argument ${bad.join(' ') || '(--only with --scale)'}; usage: npm run bench [-- --only=${SECTIONS.join(',')}] | [-- --scale[=100000,1000000]]`);
  process.exit(2);
}

main({ only: parseOnly(argv), scale: parseScale(argv) })
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
