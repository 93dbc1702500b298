/**
 * MLflow entities as JSON (REST responses, mlflow-export-import files, mlflow-tools dumps) turned
 * into store records. The three share MLflow's proto field names but differ in containers: tags
 * and params as `[{key, value}]` lists (REST) or `{key: value}` dicts (export-import), metrics as
 * latest values (`data.metrics`) or full histories (`metrics: {key: [points]}`). Each reader here
 * accepts every form, so the importers only locate documents.
 */
import { push } from '../group';
import {
	loggedModelStatus,
	runStatus,
	type DatasetRecord,
	type ExperimentRecord,
	type InputRecord,
	type KeyValues,
	type LoggedModelRecord,
	type ModelVersionRecord,
	type RegisteredModelRecord,
	type RunRecord
} from '../db/entities';
import type { Series } from '../db/series-codec';
import { num, str } from './parse';

export type Json = Record<string, unknown>;

export function isObject(v: unknown): v is Json {
	return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** MLflow writes pairs as `[{<key>: k, <value>: v}]` (REST) or as `{k: v}` (some exports): one record. */
function pairsOf<T>(v: unknown, keyField: string, valueField: string, convert: (x: unknown) => T): Record<string, T> {
	const out: Record<string, T> = {};
	if (Array.isArray(v)) {
		for (const e of v) if (isObject(e) && e[keyField] !== undefined) out[String(e[keyField])] = convert(e[valueField]);
	} else if (isObject(v)) {
		for (const [k, x] of Object.entries(v)) out[k] = convert(x);
	}
	return out;
}

/** `[{key, value}]` or `{key: value}`; non-string values (mlflow-tools expands JSON tags) as JSON. */
export function keyValues(v: unknown): KeyValues {
	return pairsOf(v, 'key', 'value', (x) => (typeof x === 'string' ? x : x === null || x === undefined ? '' : JSON.stringify(x)));
}

/** proto3 JSON writes non-finite doubles as strings. */
export function metricNumber(v: unknown): number {
	if (typeof v === 'number') return v;
	if (v === 'NaN' || v === null) return NaN;
	if (v === 'Infinity') return Infinity;
	if (v === '-Infinity') return -Infinity;
	return Number(v);
}

export function seriesOf(points: Json[]): Series {
	const n = points.length;
	const s: Series = { steps: new Float64Array(n), timestamps: new Float64Array(n), values: new Float64Array(n) };
	points.forEach((p, i) => {
		s.values[i] = metricNumber(p.value);
		s.timestamps[i] = num(p.timestamp) ?? 0;
		s.steps[i] = num(p.step) ?? 0;
	});
	return s;
}

/**
 * A time in ms: a number, a numeric string, or (dumps made for people) "2023-05-29 02:52:08",
 * which mlflow-tools writes in UTC.
 */
export function time(v: unknown): number | null {
	const n = num(v);
	if (n !== null || typeof v !== 'string') return n;
	const t = Date.parse(/^\d{4}-\d\d-\d\d \d\d:\d\d(:\d\d(\.\d+)?)?$/.test(v) ? `${v.replace(' ', 'T')}Z` : v);
	return Number.isFinite(t) ? t : null;
}

/** Ids may come as numbers or strings; empty strings mean unset. */
function text(v: unknown): string | null {
	return v === '' ? null : str(v);
}

export function experimentRecord(e: Json): ExperimentRecord {
	return {
		experimentId: String(e.experiment_id ?? e.id),
		name: String(e.name ?? `Experiment ${e.experiment_id}`),
		artifactLocation: text(e.artifact_location),
		lifecycleStage: e.lifecycle_stage === 'deleted' ? 'deleted' : 'active',
		creationTime: num(e.creation_time),
		lastUpdateTime: num(e.last_update_time),
		tags: keyValues(e.tags)
	};
}

export interface JsonRun {
	record: RunRecord;
	/** Metric keys for which only the latest value came (REST `data.metrics`). */
	latestOnly: Set<string>;
	datasets: Json[];
	modelInputs: Json[];
	modelOutputs: Json[];
}

/**
 * A run as `runs/get` returns it (`{info, data: {metrics, params, tags}, inputs, outputs}`) or as
 * export-import writes it (`{info, params, metrics: {key: [points]}, tags, inputs}`).
 * `experimentId` is the id in this store.
 */
export function runRecord(run: Json, experimentId: string): JsonRun {
	const info = isObject(run.info) ? run.info : {};
	const data = isObject(run.data) ? run.data : run;
	const params = keyValues(data.params);
	const tags = keyValues(data.tags);
	const metrics = new Map<string, Series>();
	const latestOnly = new Set<string>();
	if (Array.isArray(data.metrics)) {
		// Latest value per key, unless a dump put a history list in `value`.
		const byKey = new Map<string, Json[]>();
		for (const m of data.metrics) {
			if (!isObject(m) || m.key === undefined) continue;
			const key = String(m.key);
			const points = Array.isArray(m.value) ? m.value.filter(isObject) : [m];
			if (!Array.isArray(m.value)) latestOnly.add(key);
			for (const p of points) push(byKey, key, p);
		}
		for (const [k, points] of byKey) metrics.set(k, seriesOf(points));
	} else if (isObject(data.metrics)) {
		for (const [k, points] of Object.entries(data.metrics)) {
			if (Array.isArray(points)) metrics.set(k, seriesOf(points.filter(isObject)));
		}
	}
	const runId = String(info.run_id ?? info.run_uuid);
	// Older export-import writes `inputs` as the bare dataset_inputs list.
	const inputs = Array.isArray(run.inputs) ? { dataset_inputs: run.inputs } : isObject(run.inputs) ? run.inputs : {};
	const outputs = isObject(run.outputs) ? run.outputs : {};
	const list = (v: unknown) => (Array.isArray(v) ? v.filter(isObject) : []);
	return {
		record: {
			runUuid: runId,
			experimentId,
			name: text(info.run_name) ?? tags['mlflow.runName'] ?? null,
			sourceType: text(info.source_type) ?? tags['mlflow.source.type'] ?? null,
			sourceName: text(info.source_name) ?? tags['mlflow.source.name'] ?? null,
			entryPointName: text(info.entry_point_name) ?? tags['mlflow.project.entryPoint'] ?? null,
			userId: text(info.user_id) ?? tags['mlflow.user'] ?? null,
			status: runStatus(info.status),
			startTime: time(info.start_time),
			endTime: time(info.end_time),
			deletedTime: null,
			sourceVersion: text(info.source_version) ?? tags['mlflow.source.git.commit'] ?? null,
			lifecycleStage: info.lifecycle_stage === 'deleted' ? 'deleted' : 'active',
			artifactUri: text(info.artifact_uri),
			params,
			tags,
			metrics
		},
		latestOnly,
		datasets: list(inputs.dataset_inputs),
		modelInputs: list(inputs.model_inputs),
		modelOutputs: list(outputs.model_outputs)
	};
}

/** A run's dataset inputs and model inputs/outputs as MLflow's `datasets` and `inputs` rows. */
export function runLinks(run: JsonRun): { datasets: DatasetRecord[]; inputs: InputRecord[] } {
	const runId = run.record.runUuid;
	const experimentId = run.record.experimentId;
	const datasets: DatasetRecord[] = [];
	const inputs: InputRecord[] = [];
	for (const di of run.datasets) {
		const d = isObject(di.dataset) ? di.dataset : {};
		if (d.name === undefined || d.digest === undefined) continue;
		// REST carries no dataset id; one derived from MLflow's unique key (experiment, name, digest).
		const datasetUuid = `${experimentId}/${d.name}/${d.digest}`;
		datasets.push({
			datasetUuid,
			experimentId,
			name: String(d.name),
			digest: String(d.digest),
			sourceType: text(d.source_type),
			source: text(d.source),
			schema: text(d.schema),
			profile: text(d.profile)
		});
		inputs.push({
			inputUuid: `${datasetUuid}>${runId}`,
			sourceType: 'DATASET',
			sourceId: datasetUuid,
			destinationType: 'RUN',
			destinationId: runId,
			step: 0,
			tags: keyValues(di.tags)
		});
	}
	for (const m of run.modelInputs) {
		if (m.model_id === undefined) continue;
		inputs.push({
			inputUuid: `${runId}<${m.model_id}`,
			sourceType: 'RUN_INPUT',
			sourceId: runId,
			destinationType: 'MODEL_INPUT',
			destinationId: String(m.model_id),
			step: 0,
			tags: {}
		});
	}
	for (const m of run.modelOutputs) {
		if (m.model_id === undefined) continue;
		inputs.push({
			inputUuid: `${runId}-${m.model_id}`,
			sourceType: 'RUN_OUTPUT',
			sourceId: runId,
			destinationType: 'MODEL_OUTPUT',
			destinationId: String(m.model_id),
			step: num(m.step) ?? 0,
			tags: {}
		});
	}
	return { datasets, inputs };
}

/** Aliases as `[{alias, version}]` (REST, export-import) or `{alias: version}`. */
function aliasMap(v: unknown): Record<string, number> {
	return pairsOf(v, 'alias', 'version', Number);
}

export function registeredModelRecord(m: Json): RegisteredModelRecord {
	return {
		name: String(m.name),
		creationTime: num(m.creation_timestamp),
		lastUpdatedTime: num(m.last_updated_timestamp),
		description: text(m.description),
		tags: keyValues(m.tags),
		aliases: aliasMap(m.aliases)
	};
}

/** The versions a registered model document carries: `versions` (export-import) or `latest_versions` (REST). */
export function embeddedVersions(m: Json): Json[] {
	const v = Array.isArray(m.versions) ? m.versions : Array.isArray(m.latest_versions) ? m.latest_versions : [];
	return v.filter(isObject);
}

export function modelVersionRecord(v: Json): ModelVersionRecord {
	return {
		name: String(v.name),
		version: Number(v.version),
		creationTime: num(v.creation_timestamp),
		lastUpdatedTime: num(v.last_updated_timestamp),
		description: text(v.description),
		userId: text(v.user_id),
		currentStage: text(v.current_stage) ?? 'None',
		source: text(v.source),
		runId: text(v.run_id),
		status: text(v.status),
		statusMessage: text(v.status_message),
		runLink: text(v.run_link),
		storageLocation: text(v.storage_location),
		modelId: text(v.model_id),
		tags: keyValues(v.tags)
	};
}

/** A version's own alias list (REST `model_versions[].aliases: ["champion"]`). */
export function versionAliases(v: Json): string[] {
	return Array.isArray(v.aliases) ? v.aliases.filter((a) => typeof a === 'string') : [];
}

/**
 * An MLflow 3 prompt (export-import `prompt.json`) stored as MLflow stores it: a registered model
 * tagged `mlflow.prompt.is_prompt` whose version holds the template in `mlflow.prompt.text`.
 */
export function promptRecords(p: Json): { model: RegisteredModelRecord; version: ModelVersionRecord } {
	const name = String(p.name);
	const created = num(p.creation_timestamp);
	const updated = num(p.last_updated_timestamp);
	const tags = keyValues(p.tags);
	tags['mlflow.prompt.text'] = typeof p.template === 'string' ? p.template : JSON.stringify(p.template ?? '');
	if (Array.isArray(p.variables)) tags['mlflow.prompt.variables'] = JSON.stringify(p.variables);
	return {
		model: {
			name,
			creationTime: created,
			lastUpdatedTime: updated,
			description: null,
			tags: { 'mlflow.prompt.is_prompt': 'true' },
			aliases: {}
		},
		version: {
			name,
			version: Number(p.version),
			creationTime: created,
			lastUpdatedTime: updated,
			description: text(p.commit_message) ?? text(p.description),
			userId: text(p.user_id),
			currentStage: 'None',
			source: text(p.uri),
			runId: null,
			status: 'READY',
			statusMessage: null,
			runLink: null,
			storageLocation: null,
			modelId: null,
			tags
		}
	};
}

/** A logged model as REST `logged-models/get` returns it: `{info: {...}, data: {params, metrics}}`. */
export function loggedModelRecord(m: Json, experimentId: string): LoggedModelRecord {
	const info = isObject(m.info) ? m.info : m;
	const data = isObject(m.data) ? m.data : {};
	const metrics = (Array.isArray(data.metrics) ? data.metrics : []).filter(isObject).map((p) => ({
		key: String(p.key),
		value: metricNumber(p.value),
		timestamp: num(p.timestamp) ?? 0,
		step: num(p.step) ?? 0,
		runId: text(p.run_id)
	}));
	return {
		modelId: String(info.model_id),
		experimentId,
		name: String(info.name ?? info.model_id),
		artifactLocation: text(info.artifact_uri),
		creationTime: num(info.creation_timestamp_ms),
		lastUpdatedTime: num(info.last_updated_timestamp_ms),
		status: loggedModelStatus(info.status),
		lifecycleStage: info.lifecycle_stage === 'deleted' ? 'deleted' : 'active',
		modelType: text(info.model_type),
		sourceRunId: text(info.source_run_id),
		statusMessage: text(info.status_message),
		params: keyValues(data.params ?? info.params),
		tags: keyValues(info.tags),
		metrics
	};
}
