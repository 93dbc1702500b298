/** sql.js in Node (CLI, tests, benches): the wasm read from node_modules, blob reads made fast. */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { SqlJsStatic } from 'sql.js';
import { loadSqlJs } from '../lib/db/sqljs';

let loading: Promise<SqlJsStatic> | undefined;
export function sqlJsNode(): Promise<SqlJsStatic> {
	return (loading ??= loadSqlJs(() => readFile(createRequire(import.meta.url).resolve('sql.js/dist/sql-wasm.wasm'))));
}
