/**
 * "Copy into my workspace": an open snapshot as a FileStore tree that the mlruns importer takes
 * like any other import (one transaction, one report, merged by run id), with its artifacts
 * where the artifacts pass finds them. Datasets and logged models' own records stay behind:
 * the FileStore export carries experiments, runs, histories and the registry.
 */
import type { SqlJsStatic } from 'sql.js';
import { Store } from '../db/store';
import { collect } from '../export/collect';
import { mlrunsFiles } from '../export/mlruns';
import type { OpenedSnapshot } from './open';

export async function snapshotAsFileStore(SQL: SqlJsStatic, snapshot: OpenedSnapshot): Promise<Map<string, Uint8Array>> {
	const copy = Store.open(SQL, snapshot.store.export());
	try {
		// Put every series back into the image, so the export reads whole histories.
		const rows = copy.db.exec('SELECT run_uuid, key FROM metric_series')[0]?.values ?? [];
		const put = copy.db.prepare('UPDATE metric_series SET points = ? WHERE run_uuid = ? AND key = ?');
		for (const [run, key] of rows) {
			const bytes = await snapshot.series(String(run), String(key));
			if (bytes) put.run([bytes, run, key]);
		}
		put.free();
		const files = mlrunsFiles(collect(copy, { experimentIds: copy.queries.experiments('all').map((e) => e.experiment_id) }));
		const artifacts = copy.db.exec('SELECT owner_id, path FROM artifacts')[0]?.values ?? [];
		for (const [owner, path] of artifacts) {
			const bytes = await snapshot.artifact(String(owner), String(path));
			if (!bytes) continue;
			const o = String(owner);
			files.set(`snapshot-artifacts/0/${o.startsWith('m-') ? `models/${o}` : o}/artifacts/${path}`, bytes);
		}
		return files;
	} finally {
		copy.close();
	}
}
