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
import { numericExperimentIds } from '../export/numeric-ids';
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
		const set = collect(copy, { experimentIds: copy.queries.experiments('all').map((e) => e.experiment_id) });
		const files = mlrunsFiles(set);
		// Evaluation datasets have no FileStore form (MLflow keeps them in SQL stores only): they come
		// along as mlflow-export-import files, which the same import reads.
		const fileIds = numericExperimentIds(set.experiments);
		for (const d of copy.queries.evaluationDatasets()) {
			const experimentIds = copy.queries
				.experiments('all')
				.flatMap((e) =>
					copy.queries.evaluationDatasets(e.experiment_id).some((x) => x.dataset_id === d.dataset_id) ? [fileIds.get(e.experiment_id)!] : []
				);
			const records = copy.queries.datasetRecords(d.dataset_id, Number.MAX_SAFE_INTEGER).map((r) => ({
				dataset_record_id: r.dataset_record_id,
				inputs: JSON.parse(r.inputs),
				...(r.expectations ? { expectations: JSON.parse(r.expectations) } : {}),
				...(r.outputs ? { outputs: JSON.parse(r.outputs) } : {}),
				...(r.tags ? { tags: JSON.parse(r.tags) } : {}),
				source_type: r.source_type,
				source_id: r.source_id,
				created_time: r.created_time
			}));
			const parse = (t: string | null) => (t === null ? undefined : JSON.parse(t));
			const doc = {
				system: { script: 'trackside snapshot copy', export_file_version: '2', export_time: 0 },
				mlflow: {
					evaluation_dataset: {
						dataset_id: d.dataset_id,
						name: d.name,
						digest: d.digest,
						schema: parse(d.schema),
						profile: parse(d.profile),
						tags: parse(d.tags),
						created_time: d.created_time,
						last_update_time: d.last_update_time,
						created_by: d.created_by,
						experiment_ids: experimentIds,
						records
					}
				}
			};
			files.set(
				`snapshot-datasets/${encodeURIComponent(d.dataset_id)}/evaluation_dataset.json`,
				new TextEncoder().encode(JSON.stringify(doc))
			);
		}
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
