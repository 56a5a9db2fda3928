// `npm run schema:print`: writes schema.graphql from the code (a test fails when they differ).
import { writeFileSync } from 'node:fs';
import { printSortedSchema } from '../schema/index.js';

writeFileSync('schema.graphql', printSortedSchema());
console.log('Wrote schema.graphql');
