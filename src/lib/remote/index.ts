/** A pull imported into a store: the same path (and the same one transaction) as any import. */
import type { SqlJsStatic } from 'sql.js';
import type { Store } from '../db/store';
import { importTree } from '../importers';
import type { ImportReport } from '../importers/context';
import { treeFromMap } from '../sources/tree';
import type { MlflowClient } from './client';
import { pull, type PullPlan, type PullProgress, type PullState } from './pull';

export async function pullInto(
	SQL: SqlJsStatic,
	store: Store,
	client: MlflowClient,
	url: string,
	plan: PullPlan,
	state: PullState,
	onProgress?: (p: PullProgress) => void,
	cancel?: { cancelled: boolean }
): Promise<ImportReport> {
	const { files, notes } = await pull(client, plan, (ids) => store.queries.knownRuns(ids), state, onProgress, cancel);
	const report = await importTree(SQL, store, treeFromMap(`pull from ${url}`, files));
	report.notes.push(...notes);
	return report;
}
