/**
 * "Copy into my workspace": an open snapshot as a FileStore tree that the mlruns importer takes
 * like any other import (one transaction, one report, merged by run id), with its artifacts
 * where the artifacts pass finds them, and traces as MLflow 3's trace folders. Datasets and logged models' own records stay behind:
 * the FileStore export carries experiments, runs, histories and the registry.
 */
import type { SqlJsStatic } from 'sql.js';
import { Store } from '../db/store';
import { artifactKeys, restoreSeriesPoints, restoreSpanChunks, seriesKeys, spanChunkKeys } from '../db/snapshot-image';
import { spansEntry } from './format';
import { collect } from '../export/collect';
import { mlrunsFiles } from '../export/mlruns';
import type { OpenedSnapshot } from './open';

export async function snapshotAsFileStore(SQL: SqlJsStatic, snapshot: OpenedSnapshot): Promise<Map<string, Uint8Array>> {
	const copy = Store.open(SQL, snapshot.store.export());
	try {
		// Put every series back into the image, so the export reads whole histories.
		const points: { runId: string; key: string; bytes: Uint8Array }[] = [];
		for (const { runId, key } of seriesKeys(copy.db)) {
			const bytes = await snapshot.series(runId, key);
			if (bytes) points.push({ runId, key, bytes });
		}
		restoreSeriesPoints(copy.db, points);
		// And every chunk of span JSON, so traces come along whole.
		const chunks: { traceId: string; chunk: number; bytes: Uint8Array }[] = [];
		for (const { traceId, chunk } of spanChunkKeys(copy.db)) {
			const bytes = await snapshot.entry(spansEntry(traceId, chunk));
			if (bytes) chunks.push({ traceId, chunk, bytes });
		}
		restoreSpanChunks(copy.db, chunks);
		const files = mlrunsFiles(collect(copy, { experimentIds: copy.queries.experiments('all').map((e) => e.experiment_id) }));
		for (const { owner, path } of artifactKeys(copy.db)) {
			const bytes = await snapshot.artifact(owner, path);
			if (!bytes) continue;
			files.set(`snapshot-artifacts/0/${owner.startsWith('m-') ? `models/${owner}` : owner}/artifacts/${path}`, bytes);
		}
		return files;
	} finally {
		copy.close();
	}
}
