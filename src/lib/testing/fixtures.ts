/** Test helpers: real MLflow data from ../shared/fixtures/real, imported into a fresh store. */
import type { SqlJsStatic } from 'sql.js';
import { sqlJsNode } from '../../cli/sqljs-node';
import { fileURLToPath } from 'node:url';
import { Store } from '../db/store';
import { importTree } from '../importers';
import type { ImportReport } from '../importers/context';
import { openPath } from '../../cli/node-sources';

export const FIXTURES = fileURLToPath(new URL('../../../../shared/fixtures/real/', import.meta.url));

export function sqlJs(): Promise<SqlJsStatic> {
	return sqlJsNode();
}

export async function importInto(store: Store, path: string): Promise<ImportReport> {
	const tree = await openPath(path);
	try {
		return await importTree(await sqlJs(), store, tree, { now: 0 });
	} finally {
		await tree.close?.();
	}
}

export async function importFixture(name: string): Promise<{ store: Store; report: ImportReport }> {
	const store = Store.open(await sqlJs());
	const report = await importInto(store, FIXTURES + name);
	return { store, report };
}
