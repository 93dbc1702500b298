/**
 * Every read query, each returning MLflow REST shapes (rest-types.ts) or plain rows for the UI.
 * Lists are read in bulk (one query per table, grouped in JS) rather than a query per run.
 */
import { push, appendAll } from '../group';
import type { Database, SqlValue } from 'sql.js';
import { decodeSeries, type Series } from './series-codec';
import { filterSql, orderSql } from './run-search';
import { experimentFilterSql, experimentOrderSql } from './experiment-search';
import { modelFilterSql, modelOrderSql, versionFilterSql, versionOrderSql } from './registry-search';
import { parseFilter, parseOrderBy } from '../search/parse';
import {
	jsonDouble,
	type DatasetInput,
	type Experiment,
	type KeyValue,
	type ModelVersion,
	type RegisteredModel,
	type Run
} from './rest-types';

export type ViewType = 'active' | 'deleted' | 'all';

export interface RunSearch {
	experimentIds?: string[];
	view?: ViewType;
	runIds?: string[];
	/** MLflow's filter_string. */
	filter?: string;
	/** MLflow's order_by clauses, e.g. `metrics.acc DESC`. */
	orderBy?: string[];
}

const LIFECYCLE: Record<ViewType, string[]> = {
	active: ['active'],
	deleted: ['deleted'],
	all: ['active', 'deleted']
};

type Row = Record<string, SqlValue>;

export interface ExperimentSummary extends Experiment {
	/** Active runs, and deleted ones (all of a deleted experiment's runs are usually deleted). */
	run_count: number;
	deleted_run_count: number;
}

export interface SourceRow {
	source_id: number;
	name: string;
	kind: string;
	imported_at: number;
	report: unknown;
}

export interface MetricRange {
	run_uuid: string;
	key: string;
	min: number | null;
	max: number | null;
}

export interface MetricKey {
	key: string;
	point_count: number;
	min: number | null;
	max: number | null;
	latest_only: 0 | 1;
}

export interface KnownRun {
	endTime: number | null;
	status: string;
	metrics: Map<string, { step: number; timestamp: number; complete: boolean }>;
}

/** A runs table row as stored: what an export writes into a FileStore meta.yaml. */
export interface RunRow {
	run_uuid: string;
	name: string | null;
	source_type: string | null;
	source_name: string | null;
	entry_point_name: string | null;
	user_id: string | null;
	status: string;
	start_time: number | null;
	end_time: number | null;
	deleted_time: number | null;
	source_version: string | null;
	lifecycle_stage: string;
	artifact_uri: string | null;
	experiment_id: string;
}

export interface LoggedModelRow {
	model_id: string;
	name: string;
	status: string | null;
	model_type: string | null;
	creation_timestamp_ms: number | null;
}

export interface LoggedModelDetail {
	model_id: string;
	name: string;
	experiment_id: string;
	source_run_id: string | null;
	status: string | null;
	model_type: string | null;
	creation_timestamp_ms: number | null;
	artifact_location: string | null;
	params: KeyValue[];
	tags: KeyValue[];
	metrics: { key: string; value: number | null; step: number; timestamp: number; run_id: string | null }[];
}

export interface ArtifactRow {
	path: string;
	size: number;
}

export interface StoreCounts {
	experiments: number;
	runs: number;
	metric_points: number;
	registered_models: number;
	model_versions: number;
	artifacts: number;
}

export class Queries {
	constructor(private db: Database) {}

	/** Each row as an array of its values, in column order: for reads of 100,000s of rows. */
	private each(sql: string, params: SqlValue[], f: (values: SqlValue[]) => void): void {
		const st = this.db.prepare(sql);
		try {
			st.bind(params);
			while (st.step()) f(st.get());
		} finally {
			st.free();
		}
	}

	/** Key/value pairs by owner, from a query selecting owner, key and value in that order. */
	private keyValuesBy(sql: string, params: SqlValue[] = []): Map<string, KeyValue[]> {
		const out = new Map<string, KeyValue[]>();
		this.each(sql, params, (r) => push(out, r[0] as string, { key: r[1] as string, value: (r[2] ?? '') as string }));
		return out;
	}

	/**
	 * Rows as objects. Not sql.js's getAsObject, which asks SQLite for every column's name again on
	 * every row and builds the row with Object.fromEntries: names are read once here, and rows
	 * built by assignment in one order share one shape. With `each` below, reading a 10,000-run
	 * experiment (~260,000 rows of runs, metrics, params and tags) went from 750 to 305 ms in Node.
	 */
	private all(sql: string, params: SqlValue[] = []): Row[] {
		const st = this.db.prepare(sql);
		try {
			st.bind(params);
			const rows: Row[] = [];
			let names: string[] | undefined;
			while (st.step()) {
				const values = st.get();
				names ??= st.getColumnNames();
				const row: Row = {};
				for (let i = 0; i < names.length; i++) row[names[i]] = values[i];
				rows.push(row);
			}
			return rows;
		} finally {
			st.free();
		}
	}

	counts(): StoreCounts {
		const r = this.all(`SELECT
			(SELECT count(*) FROM experiments) AS experiments,
			(SELECT count(*) FROM runs) AS runs,
			(SELECT coalesce(sum(point_count), 0) FROM metric_series) AS metric_points,
			(SELECT count(*) FROM registered_models) AS registered_models,
			(SELECT count(*) FROM model_versions) AS model_versions,
			(SELECT count(*) FROM artifacts) AS artifacts`)[0];
		return r as unknown as StoreCounts;
	}

	/**
	 * experiments/search: a lifecycle view, MLflow's experiment filter (`name LIKE 'x%'`,
	 * `tags.team = 'a'`, times) and order_by. Without order_by: most recently updated first.
	 */
	experiments(view: ViewType = 'active', search: { filter?: string; orderBy?: string[] } = {}): ExperimentSummary[] {
		const stages = LIFECYCLE[view];
		const where = [`e.lifecycle_stage IN (${placeholders(stages)})`];
		const params: SqlValue[] = [...stages];
		const clauses = parseFilter('experiments', search.filter);
		if (clauses.length) {
			const f = experimentFilterSql(clauses);
			where.push(f.sql);
			params.push(...f.params);
		}
		const orders = (search.orderBy ?? []).map((o) => parseOrderBy('experiments', o));
		const orderBy = orders.length ? experimentOrderSql(orders) : 'coalesce(e.last_update_time, e.creation_time, 0) DESC, e.name';
		const rows = this.all(
			`SELECT e.*, (SELECT count(*) FROM runs r WHERE r.experiment_id = e.experiment_id
				AND r.lifecycle_stage = 'active') AS run_count,
				(SELECT count(*) FROM runs r WHERE r.experiment_id = e.experiment_id
				AND r.lifecycle_stage = 'deleted') AS deleted_run_count
			FROM experiments e WHERE ${where.join(' AND ')}
			ORDER BY ${orderBy}`,
			params
		);
		const tags = this.keyValuesBy('SELECT experiment_id, key, value FROM experiment_tags ORDER BY key');
		return rows.map((r) => ({ ...experimentShape(r, tags), run_count: Number(r.run_count), deleted_run_count: Number(r.deleted_run_count) }));
	}

	experiment(id: string): Experiment | undefined {
		const r = this.all('SELECT * FROM experiments WHERE experiment_id = ?', [id])[0];
		if (!r) return undefined;
		const tags = this.keyValuesBy('SELECT experiment_id, key, value FROM experiment_tags WHERE experiment_id = ? ORDER BY key', [id]);
		return experimentShape(r, tags);
	}

	/**
	 * The ids of the runs a runs/search would return, in its order: lifecycle view, experiments,
	 * MLflow's filter string and order_by clauses (errors are SearchError, with MLflow's message).
	 */
	searchRunIds(opts: RunSearch = {}): string[] {
		if (!opts.orderBy?.length || opts.runIds) return this.runIds(opts, true);
		const key = JSON.stringify([opts.experimentIds, opts.view ?? 'active', opts.orderBy]);
		const changes = Number(this.all('SELECT total_changes() AS n')[0].n);
		if (this.sorted?.key !== key || this.sorted.changes !== changes) {
			this.sorted = { key, changes, ids: this.runIds({ ...opts, filter: undefined }, true) };
		}
		if (!opts.filter?.trim()) return this.sorted.ids.slice();
		const matching = new Set(this.runIds(opts, false));
		return this.sorted.ids.filter((id) => matching.has(id));
	}

	/**
	 * A sorted search's order before any filter, and the store's change count when it was read.
	 * Changing the filter under a sort (the usual way to explore a big experiment) then costs the
	 * filter alone: sorting 10,000 runs by a metric joins each run's value and sorts them (~16 ms),
	 * the filter alone takes ~8 ms, and keeping the cached order a Set lookup a run. Filtering an
	 * order keeps it, so the result is the same as sorting the filtered runs (order_by always ends
	 * with run_id, a total order). Any write to the store changes `total_changes()`.
	 */
	private sorted?: { key: string; changes: number; ids: string[] };

	private runIds(opts: RunSearch, ordered: boolean): string[] {
		const q = this.runSelection(opts);
		const sql = ordered
			? `SELECT r.run_uuid FROM runs r ${q.joins.sql} WHERE ${q.where} ORDER BY ${q.orderBy}`
			: `SELECT r.run_uuid FROM runs r WHERE ${q.where}`;
		const ids: string[] = [];
		this.each(sql, ordered ? [...q.joins.params, ...q.params] : q.params, (r) => ids.push(r[0] as string));
		return ids;
	}

	private runSelection(opts: RunSearch) {
		const stages = LIFECYCLE[opts.view ?? 'active'];
		const where = [`r.lifecycle_stage IN (${placeholders(stages)})`];
		const params: SqlValue[] = [...stages];
		if (opts.experimentIds) {
			where.push(`r.experiment_id IN (${placeholders(opts.experimentIds)})`);
			params.push(...opts.experimentIds);
		}
		if (opts.runIds) {
			where.push(`r.run_uuid IN (${placeholders(opts.runIds)})`);
			params.push(...opts.runIds);
		}
		const clauses = parseFilter('runs', opts.filter);
		if (clauses.length) {
			const f = filterSql(clauses);
			where.push(f.sql);
			params.push(...f.params);
		}
		const { joins, orderBy } = orderSql((opts.orderBy ?? []).map((o) => parseOrderBy('runs', o)));
		return { where: where.join(' AND '), params, joins, orderBy };
	}

	/** runs/search: latest metrics, params, tags and dataset inputs of every matching run, in order. */
	/** The runs whose mlflow.parentRunId tag names this run, in any lifecycle. */
	childRuns(runId: string): Run[] {
		const ids: string[] = [];
		this.each("SELECT run_uuid FROM tags WHERE key = 'mlflow.parentRunId' AND value = ?", [runId], (r) => ids.push(r[0] as string));
		return ids.length ? this.runs({ runIds: ids, view: 'all' }) : [];
	}

	runs(opts: RunSearch = {}): Run[] {
		const q = this.runSelection(opts);
		// Each per-table read below filters on the same run subquery, so no per-run queries are made.
		const filter = `SELECT r.run_uuid FROM runs r WHERE ${q.where}`;
		const params = q.params;
		const runs = this.all(`SELECT r.* FROM runs r ${q.joins.sql} WHERE ${q.where} ORDER BY ${q.orderBy}`, [
			...q.joins.params,
			...params
		]);
		if (runs.length === 0) return [];
		// Read as arrays (no row objects), in primary key order: each run's keys come sorted
		// without SQLite sorting 100,000s of rows by key.
		const metrics = new Map<string, NonNullable<Run['data']['metrics']>>();
		this.each(
			`SELECT run_uuid, key, value, timestamp, step, is_nan FROM latest_metrics
			WHERE run_uuid IN (${filter}) ORDER BY run_uuid, key`,
			params,
			(m) => {
				push(metrics, m[0] as string, {
					key: m[1] as string,
					value: jsonDouble(m[2] as number | null, m[5] === 1),
					timestamp: Number(m[3] ?? 0),
					step: Number(m[4])
				});
			}
		);
		const keyValues = (table: string) =>
			this.keyValuesBy(`SELECT run_uuid, key, value FROM ${table} WHERE run_uuid IN (${filter}) ORDER BY run_uuid, key`, params);
		const paramsBy = keyValues('params');
		const tagsBy = keyValues('tags');
		const inputsBy = this.datasetInputs(filter, params);
		return runs.map((r) => {
			const id = r.run_uuid as string;
			const tags = tagsBy.get(id) ?? [];
			const run: Run = {
				info: omitNull({
					run_id: id,
					run_uuid: id,
					run_name: (r.name as string | null) || undefined,
					experiment_id: r.experiment_id as string,
					user_id: r.user_id as string | null,
					status: r.status as string,
					start_time: r.start_time as number | null,
					end_time: r.end_time as number | null,
					artifact_uri: r.artifact_uri as string | null,
					lifecycle_stage: r.lifecycle_stage as string
				}) as Run['info'],
				data: omitEmpty({ metrics: metrics.get(id), params: paramsBy.get(id), tags })
			};
			const inputs = inputsBy.get(id);
			if (inputs) run.inputs = { dataset_inputs: inputs };
			return run;
		});
	}

	run(runId: string): Run | undefined {
		return this.runs({ runIds: [runId], view: 'all' })[0];
	}

	private datasetInputs(filter: string, params: SqlValue[]): Map<string, DatasetInput[]> {
		const rows = this.all(
			`SELECT i.destination_id AS run_uuid, i.input_uuid, d.* FROM inputs i
			JOIN datasets d ON d.dataset_uuid = i.source_id
			WHERE i.source_type = 'DATASET' AND i.destination_type = 'RUN' AND i.destination_id IN (${filter})
			ORDER BY d.name`,
			params
		);
		if (rows.length === 0) return new Map();
		const tags = new Map<string, KeyValue[]>();
		for (const t of this.all(
			`SELECT input_uuid, name, value FROM input_tags WHERE input_uuid IN (${placeholders(rows)}) ORDER BY name`,
			rows.map((r) => r.input_uuid)
		)) {
			push(tags, t.input_uuid as string, { key: t.name as string, value: t.value as string });
		}
		const out = new Map<string, DatasetInput[]>();
		for (const r of rows) {
			push(out, r.run_uuid as string, {
				...omitEmpty({ tags: tags.get(r.input_uuid as string) }),
				dataset: omitNull({
					name: r.name as string,
					digest: r.digest as string,
					source_type: r.dataset_source_type as string | null,
					source: r.dataset_source as string | null,
					schema: r.dataset_schema as string | null,
					profile: r.dataset_profile as string | null
				}) as DatasetInput['dataset']
			});
		}
		return out;
	}

	/** Metric keys of a run with their point counts, for the run page. */
	/** A run's metric keys with their summaries; `latest_only` = 1 when only the latest value was imported. */
	metricKeys(runId: string): MetricKey[] {
		return this.all(
			`SELECT key, point_count, min_value AS min, max_value AS max, latest_only FROM metric_series
			WHERE run_uuid = ? ORDER BY key`,
			[runId]
		) as unknown as MetricKey[];
	}

	/** Min and max of every metric of an experiment's runs, for tables that show them instead of the latest. */
	metricRanges(experimentId: string): MetricRange[] {
		return this.all(
			`SELECT s.run_uuid, s.key, s.min_value AS min, s.max_value AS max FROM metric_series s
			JOIN runs r ON r.run_uuid = s.run_uuid WHERE r.experiment_id = ?`,
			[experimentId]
		) as unknown as MetricRange[];
	}

	/** MLflow 3 logged models a run produced (`m-<id>`), newest first. */
	loggedModels(runId: string): LoggedModelRow[] {
		return this.all(
			`SELECT model_id, name, status, model_type, creation_timestamp_ms FROM logged_models
			WHERE source_run_id = ? ORDER BY creation_timestamp_ms DESC, model_id`,
			[runId]
		) as unknown as LoggedModelRow[];
	}

	/** One MLflow 3 logged model with its params, tags and metrics (latest point per key). */
	loggedModel(modelId: string): LoggedModelDetail | undefined {
		const m = this.all('SELECT * FROM logged_models WHERE model_id = ?', [modelId])[0];
		if (!m) return undefined;
		const kv = (sql: string) => this.all(sql, [modelId]).map((r) => ({ key: r.k as string, value: r.v as string }));
		return {
			model_id: modelId,
			name: m.name as string,
			experiment_id: m.experiment_id as string,
			source_run_id: (m.source_run_id as string | null) ?? null,
			status: (m.status as string | null) ?? null,
			model_type: (m.model_type as string | null) ?? null,
			creation_timestamp_ms: (m.creation_timestamp_ms as number | null) ?? null,
			artifact_location: (m.artifact_location as string | null) ?? null,
			params: kv('SELECT param_key AS k, param_value AS v FROM logged_model_params WHERE model_id = ? ORDER BY param_key'),
			tags: kv('SELECT tag_key AS k, tag_value AS v FROM logged_model_tags WHERE model_id = ? ORDER BY tag_key'),
			metrics: this.all(
				`SELECT metric_name AS key, metric_value AS value, metric_step AS step, metric_timestamp_ms AS timestamp, run_id
				FROM logged_model_metrics WHERE model_id = ? ORDER BY metric_name, metric_step, metric_timestamp_ms`,
				[modelId]
			) as unknown as LoggedModelDetail['metrics']
		};
	}

	/** Every metric history of a run, by key: one query for a run page's charts. */
	metricHistories(runId: string): Record<string, Series> {
		const out: Record<string, Series> = {};
		for (const r of this.all('SELECT key, points FROM metric_series WHERE run_uuid = ? ORDER BY key', [runId])) {
			out[r.key as string] = decodeSeries(r.points as Uint8Array);
		}
		return out;
	}

	/** Every run of the experiments (any lifecycle), or the given runs, as stored: for exports. */
	runRows(sel: { experimentIds?: string[]; runIds?: string[] }): RunRow[] {
		const out: RunRow[] = [];
		for (const [column, ids] of [['experiment_id', sel.experimentIds ?? []], ['run_uuid', sel.runIds ?? []]] as const) {
			inChunks(ids, (chunk, marks) => {
				appendAll(out, this.all(`SELECT * FROM runs WHERE ${column} IN (${marks}) ORDER BY start_time, run_uuid`, chunk) as unknown as RunRow[]);
			});
		}
		return out;
	}

	/**
	 * What the store holds of these runs, for an incremental pull: end time, status and, per
	 * metric, the latest point and whether the history is complete.
	 */
	knownRuns(runIds: string[]): Map<string, KnownRun> {
		const out = new Map<string, KnownRun>();
		inChunks(runIds, (chunk, marks) => {
			for (const r of this.all(`SELECT run_uuid, end_time, status FROM runs WHERE run_uuid IN (${marks})`, chunk)) {
				out.set(r.run_uuid as string, { endTime: r.end_time as number | null, status: r.status as string, metrics: new Map() });
			}
			for (const m of this.all(
				`SELECT l.run_uuid, l.key, l.step, l.timestamp, s.latest_only FROM latest_metrics l
				JOIN metric_series s ON s.run_uuid = l.run_uuid AND s.key = l.key WHERE l.run_uuid IN (${marks})`,
				chunk
			)) {
				out.get(m.run_uuid as string)?.metrics.set(m.key as string, { step: Number(m.step), timestamp: Number(m.timestamp), complete: m.latest_only === 0 });
			}
		});
		return out;
	}

	/** One metric's history for each of many runs (those that logged it): a comparison chart's data. */
	metricSeries(runIds: string[], key: string): Record<string, Series> {
		const out: Record<string, Series> = {};
		inChunks(runIds, (chunk, marks) => {
			for (const r of this.all(`SELECT run_uuid, points FROM metric_series WHERE key = ? AND run_uuid IN (${marks})`, [key, ...chunk])) {
				out[r.run_uuid as string] = decodeSeries(r.points as Uint8Array);
			}
		});
		return out;
	}

	/** Min, max and point count of every metric of the given runs (latest values come with the runs). */
	metricSummaries(runIds: string[]): (MetricRange & { point_count: number })[] {
		const out: (MetricRange & { point_count: number })[] = [];
		inChunks(runIds, (chunk, marks) => {
			appendAll(
				out,
				this.all(
					`SELECT run_uuid, key, min_value AS min, max_value AS max, point_count FROM metric_series WHERE run_uuid IN (${marks})`,
					chunk
				) as unknown as (MetricRange & { point_count: number })[]
			);
		});
		return out;
	}

	/** The whole history of one metric, sorted by (step, timestamp). */
	metricHistory(runId: string, key: string): Series | undefined {
		const r = this.all('SELECT points FROM metric_series WHERE run_uuid = ? AND key = ?', [runId, key])[0];
		return r ? decodeSeries(r.points as Uint8Array) : undefined;
	}

	/**
	 * registered-models/search: MLflow's filter (`name LIKE 'x%'`, `tags.k = 'v'`) and order_by
	 * (name, timestamp, last_updated_timestamp); errors are SearchError.
	 */
	/** registered-models/get: one model by its exact name. */
	registeredModel(name: string): RegisteredModel | undefined {
		return this.registeredModels({ filter: `name = '${name.replace(/'/g, "''")}'` })[0];
	}

	registeredModels(search: { filter?: string; orderBy?: string[] } = {}): RegisteredModel[] {
		const clauses = parseFilter('registered_models', search.filter);
		const where = clauses.length ? modelFilterSql(clauses) : { sql: '1', params: [] };
		const order = modelOrderSql((search.orderBy ?? []).map((o) => parseOrderBy('registered_models', o)));
		const versions = this.modelVersions();
		const byModel = new Map<string, ModelVersion[]>();
		for (const v of versions) push(byModel, v.name, v);
		const tags = this.keyValuesBy('SELECT name, key, value FROM registered_model_tags ORDER BY key');
		const aliases = new Map<string, { alias: string; version: string }[]>();
		for (const a of this.all('SELECT name, alias, version FROM registered_model_aliases ORDER BY alias')) {
			push(aliases, a.name as string, { alias: a.alias as string, version: String(a.version) });
		}
		return this.all(`SELECT * FROM registered_models m WHERE ${where.sql} ORDER BY ${order}`, where.params).map((m) => {
			const name = m.name as string;
			return omitEmpty(
				omitNull({
					name,
					creation_timestamp: m.creation_time as number | null,
					last_updated_timestamp: m.last_updated_time as number | null,
					description: m.description as string | null,
					latest_versions: latestPerStage(byModel.get(name) ?? []),
					tags: tags.get(name),
					aliases: aliases.get(name)
				})
			) as RegisteredModel;
		});
	}

	/**
	 * model-versions/search: by model name and run, and MLflow's filter (`version_number > 1`,
	 * `run_id IN (...)`, `source_path = ...`, tags) and order_by.
	 */
	modelVersions(filter: { name?: string; runId?: string; filter?: string; orderBy?: string[] } = {}): ModelVersion[] {
		const where: string[] = [];
		const params: SqlValue[] = [];
		const clauses = parseFilter('model_versions', filter.filter);
		if (clauses.length) {
			const f = versionFilterSql(clauses);
			where.push(f.sql);
			params.push(...f.params);
		}
		const searched = filter.filter !== undefined || filter.orderBy !== undefined;
		const order = searched ? versionOrderSql((filter.orderBy ?? []).map((o) => parseOrderBy('model_versions', o))) : 'v.name, v.version DESC';
		if (filter.name !== undefined) {
			where.push('v.name = ?');
			params.push(filter.name);
		}
		if (filter.runId !== undefined) {
			where.push('v.run_id = ?');
			params.push(filter.runId);
		}
		const clause = where.length ? `WHERE ${where.join(' AND ')}` : '';
		const tags = new Map<string, KeyValue[]>();
		for (const t of this.all(
			`SELECT t.name, t.version, t.key, t.value FROM model_version_tags t JOIN model_versions v USING (name, version) ${clause} ORDER BY t.key`,
			params
		)) {
			push(tags, `${t.name}\u0000${t.version}`, { key: t.key as string, value: t.value as string });
		}
		const aliases = new Map<string, string[]>();
		for (const a of this.all(
			`SELECT a.name, a.version, a.alias FROM registered_model_aliases a JOIN model_versions v USING (name, version) ${clause} ORDER BY a.alias`,
			params
		)) {
			push(aliases, `${a.name}\u0000${a.version}`, a.alias as string);
		}
		return this.all(`SELECT v.* FROM model_versions v ${clause} ORDER BY ${order}`, params).map((v) => {
			const k = `${v.name}\u0000${v.version}`;
			return omitEmpty(
				omitNull({
					name: v.name as string,
					version: String(v.version),
					creation_timestamp: v.creation_time as number | null,
					last_updated_timestamp: v.last_updated_time as number | null,
					user_id: v.user_id as string | null,
					current_stage: (v.current_stage as string | null) ?? 'None',
					description: v.description as string | null,
					source: v.source as string | null,
					run_id: v.run_id as string | null,
					status: v.status as string | null,
					status_message: v.status_message as string | null,
					tags: tags.get(k),
					run_link: v.run_link as string | null,
					aliases: aliases.get(k),
					model_id: (v.model_id as string | null) || null
				})
			) as ModelVersion;
		});
	}

	sources(): SourceRow[] {
		return this.all('SELECT * FROM sources ORDER BY imported_at DESC, source_id DESC').map((r) => ({
			...(r as unknown as SourceRow),
			report: JSON.parse(r.report as string)
		}));
	}

	artifacts(ownerId: string): ArtifactRow[] {
		return this.all('SELECT path, size FROM artifacts WHERE owner_id = ? ORDER BY path', [
			ownerId
		]) as unknown as ArtifactRow[];
	}

	artifactKeys(): string[] {
		return this.all('SELECT owner_id, path FROM artifacts').map((r) => artifactKey(r.owner_id as string, r.path as string));
	}
}

/** The IndexedDB key of an artifact's bytes. */
export function artifactKey(ownerId: string, path: string): string {
	return `${ownerId}/${path}`;
}

/** registered-models/search's latest_versions: the newest version in each stage. */
function latestPerStage(versions: ModelVersion[]): ModelVersion[] {
	const best = new Map<string, ModelVersion>();
	for (const v of versions) {
		const stage = v.current_stage ?? 'None';
		const b = best.get(stage);
		if (!b || Number(v.version) > Number(b.version)) best.set(stage, v);
	}
	return [...best.values()].sort((a, b) => Number(a.version) - Number(b.version));
}

function experimentShape(r: Row, tags: Map<string, KeyValue[]>): Experiment {
	const id = r.experiment_id as string;
	return omitEmpty(
		omitNull({
			experiment_id: id,
			name: r.name as string,
			artifact_location: r.artifact_location as string | null,
			lifecycle_stage: r.lifecycle_stage as string,
			creation_time: r.creation_time as number | null,
			last_update_time: r.last_update_time as number | null,
			tags: tags.get(id)
		})
	) as Experiment;
}


/**
 * Calls `f` for the ids 500 at a time, with their `?, ?, …` placeholders: SQLite caps bound
 * parameters (32,766 in sql.js's build), and 1,000s of runs are common here.
 */
function inChunks(ids: string[], f: (chunk: string[], marks: string) => void): void {
	for (let i = 0; i < ids.length; i += 500) {
		const chunk = ids.slice(i, i + 500);
		f(chunk, placeholders(chunk));
	}
}

function placeholders(list: unknown[]): string {
	return list.map(() => '?').join(', ');
}

/** Proto JSON leaves unset fields out. */
function omitNull<T extends Record<string, unknown>>(o: T): T {
	for (const k of Object.keys(o)) if (o[k] === null || o[k] === undefined) delete o[k];
	return o;
}

/** Proto JSON leaves empty repeated fields out. */
function omitEmpty<T extends Record<string, unknown>>(o: T): T {
	for (const k of Object.keys(o)) {
		const v = o[k];
		if (v === undefined || (Array.isArray(v) && v.length === 0)) delete o[k];
	}
	return o;
}
