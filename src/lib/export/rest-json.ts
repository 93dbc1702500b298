/**
 * An export as MLflow REST API responses, the shapes a tracking server returns and Trackside's
 * REST importer reads back: experiments/search, runs/search (latest metrics), one
 * metrics/get-history response per run and key (points carry their run_id, as MLflow 3 writes),
 * registered-models/search and model-versions/search. Non-finite values as proto3 JSON strings.
 */
import { jsonDouble } from '../db/rest-types';
import type { ExportSet } from './collect';

const enc = new TextEncoder();
const json = (v: unknown) => enc.encode(JSON.stringify(v, null, 1));
const list = (o: Record<string, string>) => Object.entries(o).map(([key, value]) => ({ key, value }));

export function restJsonFiles(set: ExportSet, root = 'mlflow-rest'): Map<string, Uint8Array> {
	const files = new Map<string, Uint8Array>();
	files.set(`${root}/experiments_search.json`, json({ experiments: set.experiments }));
	const runs = set.runs.map(({ row: r, params, tags, metrics }) => ({
		info: {
			run_id: r.run_uuid,
			run_uuid: r.run_uuid,
			...(r.name ? { run_name: r.name } : {}),
			experiment_id: r.experiment_id,
			...(r.user_id ? { user_id: r.user_id } : {}),
			status: r.status,
			...(r.start_time !== null ? { start_time: r.start_time } : {}),
			...(r.end_time !== null ? { end_time: r.end_time } : {}),
			...(r.artifact_uri ? { artifact_uri: r.artifact_uri } : {}),
			lifecycle_stage: r.lifecycle_stage
		},
		data: {
			// runs/search carries each metric's latest point: the largest (step, timestamp).
			metrics: Object.entries(metrics).map(([key, s]) => {
				const i = s.values.length - 1;
				return { key, value: jsonDouble(s.values[i]), timestamp: s.timestamps[i], step: s.steps[i] };
			}),
			params: list(params),
			tags: list(tags)
		}
	}));
	files.set(`${root}/runs_search.json`, json({ runs }));
	for (const { row, metrics } of set.runs) {
		for (const [key, s] of Object.entries(metrics)) {
			const points = Array.from(s.values, (v, i) => ({
				key,
				value: jsonDouble(v),
				timestamp: s.timestamps[i],
				step: s.steps[i],
				run_id: row.run_uuid
			}));
			files.set(`${root}/metrics/${row.run_uuid}/${encodeURIComponent(key)}.json`, json({ metrics: points }));
		}
	}
	files.set(`${root}/registered_models_search.json`, json({ registered_models: set.models }));
	files.set(`${root}/model_versions_search.json`, json({ model_versions: set.versions }));
	return files;
}
