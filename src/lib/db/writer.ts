/**
 * Every write an import makes. Prepared once per import: sql.js binding per row dominates
 * insert cost, and one prepared statement inside one transaction is ~100x faster than ad-hoc SQL.
 *
 * Re-importing data merges rather than duplicates: rows are upserted by MLflow's keys, and a metric
 * series already stored is merged point by point with the new one.
 */
import type { Database, SqlValue, Statement } from 'sql.js';
import type {
	DatasetRecord,
	ExperimentRecord,
	InputRecord,
	KeyValues,
	LoggedModelRecord,
	ModelVersionRecord,
	RegisteredModelRecord,
	RunRecord
} from './entities';
import { keyProblem, unsafeName } from '../names';
import { decodeSeries, encodeSeries, mergeSeries, normalizeSeries, summarize, type Series } from './series-codec';
import { TraceWriter } from './trace-writer';
import { storeBytes } from './bulk-file';

const SQL = {
	experimentById: 'SELECT name, artifact_location, creation_time FROM experiments WHERE experiment_id = ?',
	putExperiment: `INSERT INTO experiments (experiment_id, name, artifact_location, lifecycle_stage, creation_time, last_update_time)
		VALUES (?, ?, ?, ?, ?, ?)
		ON CONFLICT (experiment_id) DO UPDATE SET artifact_location = excluded.artifact_location,
			lifecycle_stage = excluded.lifecycle_stage,
			creation_time = coalesce(excluded.creation_time, creation_time),
			last_update_time = nullif(max(coalesce(excluded.last_update_time, 0), coalesce(last_update_time, 0)), 0)`,
	putExperimentTag: 'INSERT OR REPLACE INTO experiment_tags (experiment_id, key, value) VALUES (?, ?, ?)',
	runExists: 'SELECT 1 FROM runs WHERE run_uuid = ?',
	runEnd: 'SELECT end_time, experiment_id FROM runs WHERE run_uuid = ?',
	addParam: 'INSERT OR IGNORE INTO params (run_uuid, key, value) VALUES (?, ?, ?)',
	addTag: 'INSERT OR IGNORE INTO tags (run_uuid, key, value) VALUES (?, ?, ?)',
	loggedModelExists: 'SELECT 1 FROM logged_models WHERE model_id = ?',
	putRun: `INSERT OR REPLACE INTO runs (run_uuid, name, source_type, source_name, entry_point_name, user_id, status,
		start_time, end_time, deleted_time, source_version, lifecycle_stage, artifact_uri, experiment_id)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
	putParam: 'INSERT OR REPLACE INTO params (run_uuid, key, value) VALUES (?, ?, ?)',
	putTag: 'INSERT OR REPLACE INTO tags (run_uuid, key, value) VALUES (?, ?, ?)',
	seriesPoints: 'SELECT points, latest_only FROM metric_series WHERE run_uuid = ? AND key = ?',
	putSeries: `INSERT OR REPLACE INTO metric_series (run_uuid, key, point_count, min_value, max_value, points, latest_only)
		VALUES (?, ?, ?, ?, ?, ?, ?)`,
	putLatest: `INSERT OR REPLACE INTO latest_metrics (run_uuid, key, value, timestamp, step, is_nan)
		VALUES (?, ?, ?, ?, ?, ?)`,
	putDataset: `INSERT OR REPLACE INTO datasets (dataset_uuid, experiment_id, name, digest, dataset_source_type,
		dataset_source, dataset_schema, dataset_profile) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
	putInput: `INSERT OR REPLACE INTO inputs (input_uuid, source_type, source_id, destination_type, destination_id, step)
		VALUES (?, ?, ?, ?, ?, ?)`,
	putInputTag: 'INSERT OR REPLACE INTO input_tags (input_uuid, name, value) VALUES (?, ?, ?)',
	putModel: `INSERT INTO registered_models (name, creation_time, last_updated_time, description) VALUES (?, ?, ?, ?)
		ON CONFLICT (name) DO UPDATE SET creation_time = coalesce(excluded.creation_time, creation_time),
			last_updated_time = excluded.last_updated_time, description = excluded.description`,
	ensureModel: 'INSERT OR IGNORE INTO registered_models (name, creation_time, last_updated_time) VALUES (?, ?, ?)',
	putModelTag: 'INSERT OR REPLACE INTO registered_model_tags (name, key, value) VALUES (?, ?, ?)',
	putAlias: 'INSERT OR REPLACE INTO registered_model_aliases (name, alias, version) VALUES (?, ?, ?)',
	putVersion: `INSERT OR REPLACE INTO model_versions (name, version, creation_time, last_updated_time, description, user_id,
		current_stage, source, run_id, status, status_message, run_link, storage_location, model_id)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
	putVersionTag: 'INSERT OR REPLACE INTO model_version_tags (name, version, key, value) VALUES (?, ?, ?, ?)',
	putLoggedModel: `INSERT OR REPLACE INTO logged_models (model_id, experiment_id, name, artifact_location, creation_timestamp_ms,
		last_updated_timestamp_ms, status, lifecycle_stage, model_type, source_run_id, status_message)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
	putLoggedModelParam: 'INSERT OR REPLACE INTO logged_model_params (model_id, param_key, param_value) VALUES (?, ?, ?)',
	putLoggedModelTag: 'INSERT OR REPLACE INTO logged_model_tags (model_id, tag_key, tag_value) VALUES (?, ?, ?)',
	putLoggedModelMetric: `INSERT OR REPLACE INTO logged_model_metrics (model_id, metric_name, metric_timestamp_ms, metric_step,
		metric_value, run_id) VALUES (?, ?, ?, ?, ?, ?)`,
	putArtifact: 'INSERT OR REPLACE INTO artifacts (owner_id, path, size) VALUES (?, ?, ?)',
	putSource: 'INSERT INTO sources (name, kind, imported_at, report) VALUES (?, ?, ?, ?)',
	putProvenance: 'INSERT OR IGNORE INTO provenance (source_id, kind, key) VALUES (last_insert_rowid(), ?, ?)'
} as const;

type StatementName = keyof typeof SQL;

/** The kinds of entity whose provenance is kept (see schema 4). */
export type EntityKind = 'experiment' | 'run' | 'model' | 'version' | 'logged_model' | 'trace' | 'evaluation_dataset' | 'scorer';

export class ImportWriter {
	private statements = new Map<StatementName, Statement>();
	/** What this import wrote, recorded against its source when it ends. */
	private brought: [EntityKind, string][] = [];
	/** What the report should say about what the writer decided (renumbered experiments, merged runs). */
	readonly notes: string[] = [];
	/** Points that repeated an identical point in the same history (collapsed to one). */
	duplicatePoints = 0;
	/** Points already in the store (the same run imported again). */
	knownPoints = 0;
	/** Experiment ids as the source names them -> ids in this store (they differ on a clash). */
	private experimentIds = new Map<string, string>();

	/** GenAI traces, spans, assessments and their links (trace-writer.ts). */
	readonly traces: TraceWriter;

	constructor(private db: Database) {
		this.traces = new TraceWriter(db, (kind, id) => this.brought.push([kind, id]));
	}

	/** The store's size so far, this transaction's writes included. */
	storeBytes(): number {
		return storeBytes(this.db);
	}

	private stmt(name: StatementName): Statement {
		let s = this.statements.get(name);
		if (!s) {
			s = this.db.prepare(SQL[name]);
			this.statements.set(name, s);
		}
		return s;
	}

	private exec(name: StatementName, params: SqlValue[]): void {
		this.stmt(name).run(params);
	}

	private first(name: StatementName, params: SqlValue[]): SqlValue[] | undefined {
		const s = this.stmt(name);
		s.bind(params);
		const row = s.step() ? s.get() : undefined;
		s.reset();
		return row;
	}

	/** How many distinct entities of a kind this import wrote (an entity found twice is one). */
	distinct(kind: EntityKind): number {
		return this.ids(kind).size;
	}

	private ids(kind: EntityKind): Set<string> {
		const ids = new Set<string>();
		for (const [k, id] of this.brought) if (k === kind) ids.add(id);
		return ids;
	}

	/** Of the experiments and runs this import wrote, how many are deleted now. */
	deletedCounts(): { experiments: number; runs: number } {
		const count = (kind: EntityKind, table: string, column: string) => {
			let n = 0;
			const st = this.db.prepare(`SELECT lifecycle_stage = 'deleted' FROM ${table} WHERE ${column} = ?`);
			for (const id of this.ids(kind)) {
				st.bind([id]);
				if (st.step() && st.get()[0] === 1) n++;
				st.reset();
			}
			st.free();
			return n;
		};
		return { experiments: count('experiment', 'experiments', 'experiment_id'), runs: count('run', 'runs', 'run_uuid') };
	}

	finish(): void {
		this.traces.finish();
		for (const s of this.statements.values()) s.free();
		this.statements.clear();
	}

	/**
	 * Stores an experiment and returns its id in this store. An id already taken is the same
	 * experiment only when the name matches and so does where it lives: the artifact location, or
	 * the creation time (re-importing a store, or the same store in another format). Otherwise
	 * (every MLflow store has a "Default" with id 0; two people's stores number from 1) it gets a
	 * fresh id, `<id>-2`, `<id>-3`..., and the report says so. `separate` never merges (a trashed
	 * copy of an experiment MLflow resolves elsewhere).
	 */
	experiment(e: ExperimentRecord, scope = '', separate = false): string {
		const scoped = `${scope}\u0000${e.experimentId}`;
		const known = this.experimentIds.get(scoped);
		if (known !== undefined) return known;
		let id = e.experimentId;
		let clash: SqlValue[] | undefined;
		for (let k = 2; ; k++) {
			const row = this.first('experimentById', [id]);
			if (!row || (!separate && sameExperiment(row, e))) break;
			clash ??= row;
			id = `${e.experimentId}-${k}`;
		}
		if (clash && !separate) {
			const why =
				clash[0] !== e.name
					? `"${clash[0]}" has that id`
					: `"${clash[0]}" with that id lives elsewhere (artifact location ${clash[1] ?? 'none'}, not ${e.artifactLocation ?? 'none'})`;
			this.notes.push(
				`Experiment "${e.name}" (id ${e.experimentId}) is not the experiment already stored under that id: ${why}. It was imported as experiment ${id}.`
			);
		}
		this.exec('putExperiment', [id, e.name, e.artifactLocation, e.lifecycleStage, e.creationTime, e.lastUpdateTime]);
		for (const [k, v] of this.safeKeys('Tag', `experiment ${id}`, Object.entries(e.tags))) this.exec('putExperimentTag', [id, k, v]);
		this.experimentIds.set(scoped, id);
		this.brought.push(['experiment', id]);
		return id;
	}

	/** The name of the experiment with this id in the store, if there is one. */
	experimentName(id: string): string | undefined {
		return this.first('experimentById', [id])?.[0] as string | undefined;
	}

	/** Whether a key can be stored (names.ts); a key that cannot is left out with a report line. */
	private acceptKey(what: string, owner: string, key: string): boolean {
		const why = keyProblem(key);
		if (why)
			this.notes.push(
				`${what} key ${JSON.stringify(key.length > 60 ? key.slice(0, 40) + '…' : key)} of ${owner} was not imported: ${why}.`
			);
		return !why;
	}

	private safeKeys<T>(what: string, owner: string, entries: Iterable<[string, T]>): [string, T][] {
		const out: [string, T][] = [];
		for (const entry of entries) if (this.acceptKey(what, owner, entry[0])) out.push(entry);
		return out;
	}

	/** Returns the number of metric points written. */
	run(r: RunRecord, latestOnly?: Set<string>): number {
		r = {
			...r,
			params: Object.fromEntries(this.safeKeys('Param', `run ${r.runUuid}`, Object.entries(r.params))),
			tags: Object.fromEntries(this.safeKeys('Tag', `run ${r.runUuid}`, Object.entries(r.tags))),
			metrics: new Map(this.safeKeys('Metric', `run ${r.runUuid}`, r.metrics))
		};
		const stored = this.first('runEnd', [r.runUuid]);
		const existed = stored !== undefined;
		// The same run from two sources: the newer copy's fields win (the later end; a finished run
		// over a still-running copy), whatever order they are imported in; keys only the older copy
		// has are kept, and histories are merged point by point either way.
		const storedEnd = stored?.[0] as number | null | undefined;
		const older = existed && storedEnd !== null && storedEnd !== undefined && (r.endTime === null || r.endTime < storedEnd);
		if (existed && stored[1] !== r.experimentId) {
			this.notes.push(
				`Run ${r.runUuid} was found in two experiments (${stored[1]} and ${r.experimentId}): one run, kept in experiment ${older ? stored[1] : r.experimentId} (the copy that ended later), its params, tags and histories merged.`
			);
		}
		this.brought.push(['run', r.runUuid]);
		if (older) {
			this.keyValues('addParam', r.runUuid, r.params);
			this.keyValues('addTag', r.runUuid, r.tags);
		} else {
			this.putRunRow(r);
			this.keyValues('putParam', r.runUuid, r.params);
			this.keyValues('putTag', r.runUuid, r.tags);
		}
		let points = 0;
		for (const [key, series] of r.metrics) {
			points += this.metricSeries(r.runUuid, key, series, existed, latestOnly?.has(key) ?? false);
		}
		return points;
	}

	private putRunRow(r: RunRecord): void {
		this.exec('putRun', [
			r.runUuid,
			r.name,
			r.sourceType,
			r.sourceName,
			r.entryPointName,
			r.userId,
			r.status,
			r.startTime,
			r.endTime,
			r.deletedTime,
			r.sourceVersion,
			r.lifecycleStage,
			r.artifactUri,
			r.experimentId
		]);
	}

	private keyValues(name: StatementName, owner: string, kv: KeyValues): void {
		for (const [k, v] of Object.entries(kv)) this.exec(name, [owner, k, v]);
	}

	/**
	 * Merges points into a run's metric series (and its latest value); returns how many new points
	 * it stored (points already there, and repeats of one point, are counted apart for the report).
	 * `latestOnly` says the points are a latest value, not a history (undefined: a point logged by
	 * hand, which leaves the flag as it was); a series stays flagged only while no source brought
	 * its history.
	 */
	metricSeries(runUuid: string, key: string, series: Series, mayExist: boolean, latestOnly?: boolean): number {
		if (!this.acceptKey('Metric', `run ${runUuid}`, key)) return 0;
		let s = normalizeSeries(series);
		// Identical points (a line written twice) are one point, as in MLflow's SQL store.
		this.duplicatePoints += series.values.length - s.values.length;
		const given = s.values.length;
		let before = 0;
		if (mayExist) {
			const row = this.first('seriesPoints', [runUuid, key]);
			if (row) {
				const stored = decodeSeries(row[0] as Uint8Array);
				before = stored.values.length;
				s = mergeSeries(stored, s);
				latestOnly = (latestOnly ?? true) && row[1] === 1;
			}
		}
		const n = s.values.length;
		this.knownPoints += given - (n - before);
		if (n === 0) return 0;
		const sum = summarize(s);
		this.exec('putSeries', [runUuid, key, n, finiteOrNull(sum.min), finiteOrNull(sum.max), encodeSeries(s), latestOnly ? 1 : 0]);
		const v = s.values[sum.latest];
		this.exec('putLatest', [
			runUuid,
			key,
			Number.isNaN(v) ? null : v,
			s.timestamps[sum.latest],
			s.steps[sum.latest],
			Number.isNaN(v) ? 1 : 0
		]);
		return n - before;
	}

	dataset(d: DatasetRecord): void {
		this.exec('putDataset', [d.datasetUuid, d.experimentId, d.name, d.digest, d.sourceType, d.source, d.schema, d.profile]);
	}

	input(i: InputRecord): void {
		this.exec('putInput', [i.inputUuid, i.sourceType, i.sourceId, i.destinationType, i.destinationId, i.step]);
		for (const [k, v] of Object.entries(i.tags)) this.exec('putInputTag', [i.inputUuid, k, v]);
	}

	registeredModel(m: RegisteredModelRecord): void {
		this.exec('putModel', [m.name, m.creationTime, m.lastUpdatedTime, m.description]);
		this.brought.push(['model', m.name]);
		for (const [k, v] of this.safeKeys('Tag', `model ${m.name}`, Object.entries(m.tags))) this.exec('putModelTag', [m.name, k, v]);
		for (const [alias, version] of Object.entries(m.aliases)) this.exec('putAlias', [m.name, alias, version]);
	}

	/** Makes sure a registered model row exists (a version or alias can arrive without its model). */
	ensureRegisteredModel(name: string, time: number | null): void {
		this.exec('ensureModel', [name, time, time]);
		this.brought.push(['model', name]);
	}

	registeredModelTag(name: string, key: string, value: string): void {
		this.exec('putModelTag', [name, key, value]);
	}

	alias(name: string, alias: string, version: number): void {
		this.exec('putAlias', [name, alias, version]);
	}

	modelVersion(v: ModelVersionRecord): void {
		this.brought.push(['version', `${v.name}\u0000${v.version}`]);
		this.exec('putVersion', [
			v.name,
			v.version,
			v.creationTime,
			v.lastUpdatedTime,
			v.description,
			v.userId,
			v.currentStage,
			v.source,
			v.runId,
			v.status,
			v.statusMessage,
			v.runLink,
			v.storageLocation,
			v.modelId
		]);
		for (const [k, val] of this.safeKeys('Tag', `model ${v.name} version ${v.version}`, Object.entries(v.tags)))
			this.exec('putVersionTag', [v.name, v.version, k, val]);
	}

	loggedModel(m: LoggedModelRecord): void {
		this.brought.push(['logged_model', m.modelId]);
		this.exec('putLoggedModel', [
			m.modelId,
			m.experimentId,
			m.name,
			m.artifactLocation,
			m.creationTime,
			m.lastUpdatedTime,
			m.status,
			m.lifecycleStage,
			m.modelType,
			m.sourceRunId,
			m.statusMessage
		]);
		this.keyValues('putLoggedModelParam', m.modelId, m.params);
		this.keyValues('putLoggedModelTag', m.modelId, m.tags);
		for (const p of m.metrics) {
			this.exec('putLoggedModelMetric', [m.modelId, p.key, p.timestamp, p.step, Number.isNaN(p.value) ? null : p.value, p.runId]);
		}
	}

	/** Whether artifacts can be attached to this run or logged model id. */
	hasOwner(ownerId: string): boolean {
		const name: StatementName = ownerId.startsWith('m-') ? 'loggedModelExists' : 'runExists';
		return this.first(name, [ownerId]) !== undefined;
	}

	artifact(ownerId: string, path: string, size: number): void {
		const why = unsafeName(path);
		if (why) throw new Error(`artifact path ${JSON.stringify(path)} of ${ownerId} is unsafe: ${why}`);
		this.exec('putArtifact', [ownerId, path, size]);
	}

	source(name: string, kind: string, importedAt: number, report: unknown): void {
		this.exec('putSource', [name, kind, importedAt, JSON.stringify(report)]);
		// last_insert_rowid() is the source just inserted: INSERT OR IGNORE into a WITHOUT ROWID
		// table does not change it.
		for (const [k, key] of this.brought) this.exec('putProvenance', [k, key]);
		this.brought = [];
	}
}

function finiteOrNull(v: number): number | null {
	return Number.isFinite(v) ? v : null;
}

/** Whether a stored experiment row (name, artifact_location, creation_time) is the experiment `e`. */
function sameExperiment(row: SqlValue[], e: ExperimentRecord): boolean {
	if (row[0] !== e.name) return false;
	if (row[1] !== null && e.artifactLocation !== null)
		return row[1] === e.artifactLocation || (row[2] !== null && row[2] === e.creationTime);
	// A side that does not say where it lives (early metas, REST dumps without it): same name and id,
	// and no creation time that says otherwise.
	return row[2] === null || e.creationTime === null || row[2] === e.creationTime;
}
