// Writes schema.graphql (the printed schema of the resolvers) at the repository root.
import { writeFileSync } from 'node:fs';
import { printedSchema } from '../server/src/schema.js';

writeFileSync(new URL('../schema.graphql', import.meta.url), await printedSchema());
console.log('schema.graphql written');
