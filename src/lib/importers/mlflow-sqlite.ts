/**
 * MLflow SQL store (`mlflow.db`) importer. The core tables never changed across MLflow versions;
 * later revisions only add tables and columns, so columns are read by name where they exist and
 * any revision, including ones newer than this code, imports its core tables.
 */
import type { Database, SqlJsStatic, SqlValue } from 'sql.js';
import { runStatus, loggedModelStatus, type KeyValues, type RunRecord } from '../db/entities';
import type { Series } from '../db/series-codec';
import { ImportInputError, type SourceFile } from '../sources/tree';
import type { ImportContext } from './context';
import { group, n, s, SqliteReader } from './sqlite-reader';
import { importSqliteTraces, TRACE_TABLES, DERIVED_TRACE_TABLES } from './sqlite-traces';

const SQLITE_MAGIC = 'SQLite format 3\u0000';

export function looksLikeSqlite(head: Uint8Array): boolean {
	if (head.length < 16) return false;
	for (let i = 0; i < 16; i++) if (head[i] !== SQLITE_MAGIC.charCodeAt(i)) return false;
	return true;
}

/** Alembic revisions seen in real stores (../shared/fixtures/real/schemas). */
export const KNOWN_REVISIONS: Record<string, string> = {
	a8c4a736bde6: 'MLflow 1.14',
	bd07f7e963c5: 'MLflow 1.26',
	'867495a8f9d4': 'MLflow 2.13.0',
	'5b0e9adcef9c': 'MLflow 2.13.1',
	'0584bdc529eb': 'MLflow 2.21',
	'6953534de441': 'MLflow 3.1',
	bf29a5ff90ea: 'MLflow ~3.5',
	'1bd49d398cd23': 'MLflow ~3.7',
	'7d34483879f0': 'MLflow ~3.11',
	// GenAI stores (../shared/fixtures/genai/SOURCES.md); ~ = dated from the migration.
	'4465047574b1': 'MLflow ~2.15',
	'71994744cf8e': 'MLflow ~3.4',
	d3e4f5a6b7c8: 'MLflow 3.9',
	'1b5f0d9ad7c1': 'MLflow ~3.10',
	c3d6457b6d8a: 'MLflow 3.11',
	da6fb0208061: 'MLflow ~3.12',
	b7e4c1a90f23: 'MLflow ~3.13',
	'6f8d9c3b2a1e': 'MLflow ~3.14'
};

/** Tables this importer reads; any other non-empty table is reported as skipped. */
const READ_TABLES = new Set([
	'alembic_version',
	'experiments',
	'experiment_tags',
	'runs',
	'params',
	'tags',
	'metrics',
	'latest_metrics',
	'datasets',
	'inputs',
	'input_tags',
	'registered_models',
	'registered_model_tags',
	'model_versions',
	'model_version_tags',
	'registered_model_aliases',
	'logged_models',
	'logged_model_params',
	'logged_model_tags',
	'logged_model_metrics',
	'workspaces',
	...TRACE_TABLES
]);

/**
 * Columns MLflow itself declares as generated, never read here: `spans.duration_ns` (end - start).
 * Any other computed column in a table read refuses the file (see refuseCode).
 */
const MLFLOW_GENERATED = new Set(['spans.duration_ns']);

// MLflow's SQL store writes NaN as value 0 with is_nan, and ±Infinity as ±DBL_MAX.
const DBL_MAX = 1.7976931348623157e308;
function metricValue(value: SqlValue, isNan: SqlValue): number {
	if (isNan === 1 || value === null) return NaN;
	const v = Number(value);
	return v === DBL_MAX ? Infinity : v === -DBL_MAX ? -Infinity : v;
}

export async function importMlflowSqlite(SQL: SqlJsStatic, file: SourceFile, bytes: Uint8Array, ctx: ImportContext): Promise<void> {
	let db: Database;
	try {
		db = new SQL.Database(bytes);
		db.exec('SELECT count(*) FROM sqlite_master');
	} catch (e) {
		throw new ImportInputError(`${file.path} is not a readable SQLite database (${(e as Error).message})`);
	}
	try {
		const r = new SqliteReader(db);
		refuseCode(r, file.path);
		if (!r.has('experiments') || !r.has('runs')) {
			throw new ImportInputError(
				`${file.path} is a SQLite database but not an MLflow tracking store (it has no experiments and runs tables)`
			);
		}
		importTables(r, file, ctx);
	} finally {
		db.close();
	}
	ctx.advance(file.size);
}

/**
 * A foreign SQLite file runs no code of its author's while it is read: a table Trackside reads
 * that is a view (a recursive one never ends), or has generated columns (computed on every read),
 * refuses the file. MLflow's stores have neither. Every row read is then a row stored, so reading
 * is bounded by the file's size. Triggers only run on writes, which this never makes.
 */
function refuseCode(r: SqliteReader, path: string): void {
	for (const [name, type] of r.rows("SELECT name, type FROM sqlite_master WHERE type = 'view'")) {
		if (READ_TABLES.has(String(name))) {
			throw new ImportInputError(
				`${path}: "${name}" is a ${type}, not a table, which MLflow's stores never have; reading it could run without end. Refused.`
			);
		}
	}
	for (const t of r.tables) {
		if (!READ_TABLES.has(t)) continue;
		const generated = r
			.rows(`SELECT name FROM pragma_table_xinfo(?) WHERE hidden IN (2, 3)`, [t])
			.filter((g) => !MLFLOW_GENERATED.has(`${t}.${g[0]}`));
		if (generated.length)
			throw new ImportInputError(
				`${path}: table "${t}" has computed columns (${generated.map((g) => g[0]).join(', ')}), which MLflow's stores never have. Refused.`
			);
	}
}

function importTables(r: SqliteReader, file: SourceFile, ctx: ImportContext): void {
	const w = ctx.writer;
	const revision = r.has('alembic_version') ? s(r.rows('SELECT version_num FROM alembic_version')[0]?.[0] ?? null) : null;
	const known = revision ? KNOWN_REVISIONS[revision] : undefined;
	ctx.report.found.push(
		`MLflow SQLite store ${file.path} (${revision ? `alembic revision ${revision}` : 'no alembic revision'}${known ? `, ${known}` : ''})`
	);
	if (!known) {
		ctx.note(`${file.path}: schema revision ${revision ?? '(none)'} is not one Trackside knows; its core tables were read.`);
	}
	for (const t of [...r.tables].sort()) {
		if (READ_TABLES.has(t) || t.startsWith('sqlite_')) continue;
		const count = r.count(t);
		if (count === 0) continue;
		const derived = DERIVED_TRACE_TABLES[t];
		ctx.skip(
			`${file.path}#${t}`,
			derived
				? `${count} row(s) of table ${t} are not imported: ${derived}`
				: `${count} row(s) of table ${t} are not imported (Trackside does not show ${t} yet)`
		);
	}
	const scope = `sqlite:${file.path}`;
	const userTagMigration = revision === null || revision === '451aebb31d03';
	if (revision === null) {
		ctx.note(
			`${file.path} has MLflow's initial schema (MLflow 0.9, before database migrations): read as \`mlflow db upgrade\` would bring it (steps 0, users copied into the mlflow.user tag).`
		);
	}
	const runCount = r.count('runs');
	ctx.plan('reading', 0, runCount);

	// Experiments
	// Ids are read as text: FileStore-born ids have 18 digits, past a double's exact integers
	// (377151617428689567 read as a number is 377151617428689540).
	const expTags = r.has('experiment_tags')
		? group(r.rows('SELECT CAST(experiment_id AS TEXT), key, value FROM experiment_tags'))
		: new Map<string, KeyValues>();
	const experimentIds = new Map<string, string>();
	for (const e of r.objects(
		`SELECT CAST(experiment_id AS TEXT) AS experiment_id, name, artifact_location, lifecycle_stage, ${r.col('experiments', 'creation_time')},
			${r.col('experiments', 'last_update_time')} FROM experiments`
	)) {
		const id = String(e.experiment_id);
		experimentIds.set(
			id,
			w.experiment(
				{
					experimentId: id,
					name: String(e.name),
					artifactLocation: s(e.artifact_location),
					lifecycleStage: e.lifecycle_stage === 'deleted' ? 'deleted' : 'active',
					creationTime: n(e.creation_time),
					lastUpdateTime: n(e.last_update_time),
					tags: expTags.get(id) ?? {}
				},
				scope
			)
		);
		ctx.counts.experiments++;
	}

	// Runs, with params, tags and full metric history read table by table (not per run).
	const params = r.has('params') ? group(r.rows('SELECT run_uuid, key, value FROM params')) : new Map<string, KeyValues>();
	const tags = r.has('tags') ? group(r.rows('SELECT run_uuid, key, value FROM tags')) : new Map<string, KeyValues>();
	const history = metricHistory(r);
	for (const row of r.objects(
		`SELECT run_uuid, name, source_type, source_name, entry_point_name, user_id, status, start_time, end_time,
			source_version, lifecycle_stage, artifact_uri, CAST(experiment_id AS TEXT) AS experiment_id, ${r.col('runs', 'deleted_time')} FROM runs`
	)) {
		ctx.check();
		const id = String(row.run_uuid);
		const expId = experimentIds.get(String(row.experiment_id));
		if (expId === undefined) {
			ctx.skip(`${file.path}#runs/${id}`, `run belongs to experiment ${row.experiment_id}, which is not in the store: skipped`);
			continue;
		}
		const runTags = tags.get(id) ?? {};
		// Stores from before revision 90e64c465722 (MLflow 1.0) kept the user only in runs.user_id;
		// `mlflow db upgrade` copies it into the mlflow.user tag where the tag is missing.
		if (userTagMigration && row.user_id && runTags['mlflow.user'] === undefined) runTags['mlflow.user'] = String(row.user_id);
		const run: RunRecord = {
			runUuid: id,
			experimentId: expId,
			name: s(row.name) || runTags['mlflow.runName'] || null,
			sourceType: s(row.source_type),
			sourceName: s(row.source_name) || runTags['mlflow.source.name'] || null,
			entryPointName: s(row.entry_point_name) || null,
			userId: s(row.user_id) || runTags['mlflow.user'] || null,
			status: runStatus(row.status),
			startTime: n(row.start_time),
			endTime: n(row.end_time),
			deletedTime: n(row.deleted_time),
			sourceVersion: s(row.source_version) || runTags['mlflow.source.git.commit'] || null,
			lifecycleStage: row.lifecycle_stage === 'deleted' ? 'deleted' : 'active',
			artifactUri: s(row.artifact_uri),
			params: params.get(id) ?? {},
			tags: runTags,
			metrics: history.get(id) ?? new Map()
		};
		ctx.counts.metricPoints += w.run(run);
		ctx.counts.runs++;
		ctx.advance(0, 1);
	}

	// Datasets and inputs (MLflow 2.4+)
	if (r.has('datasets')) {
		for (const d of r.objects('SELECT *, CAST(experiment_id AS TEXT) AS experiment_id FROM datasets')) {
			const expId = experimentIds.get(String(d.experiment_id));
			if (expId === undefined) continue;
			w.dataset({
				datasetUuid: String(d.dataset_uuid),
				experimentId: expId,
				name: String(d.name),
				digest: String(d.digest),
				sourceType: s(d.dataset_source_type),
				source: s(d.dataset_source),
				schema: s(d.dataset_schema),
				profile: s(d.dataset_profile)
			});
			ctx.counts.datasets++;
		}
	}
	if (r.has('inputs')) {
		const inputTags = r.has('input_tags') ? group(r.rows('SELECT input_uuid, name, value FROM input_tags')) : new Map();
		for (const i of r.objects(
			`SELECT input_uuid, source_type, source_id, destination_type, destination_id, ${r.col('inputs', 'step')} FROM inputs`
		)) {
			w.input({
				inputUuid: String(i.input_uuid),
				sourceType: String(i.source_type),
				sourceId: String(i.source_id),
				destinationType: String(i.destination_type),
				destinationId: String(i.destination_id),
				step: n(i.step) ?? 0,
				tags: inputTags.get(String(i.input_uuid)) ?? {}
			});
		}
	}

	// Logged models (MLflow 3)
	if (r.has('logged_models')) {
		const lmParams = r.has('logged_model_params')
			? group(r.rows('SELECT model_id, param_key, param_value FROM logged_model_params'))
			: new Map();
		const lmTags = r.has('logged_model_tags') ? group(r.rows('SELECT model_id, tag_key, tag_value FROM logged_model_tags')) : new Map();
		const lmMetrics = r.has('logged_model_metrics')
			? r.rows('SELECT model_id, metric_name, metric_value, metric_timestamp_ms, metric_step, run_id FROM logged_model_metrics')
			: [];
		for (const m of r.objects('SELECT *, CAST(experiment_id AS TEXT) AS experiment_id FROM logged_models')) {
			const id = String(m.model_id);
			w.loggedModel({
				modelId: id,
				experimentId: experimentIds.get(String(m.experiment_id)) ?? String(m.experiment_id),
				name: String(m.name),
				artifactLocation: s(m.artifact_location),
				creationTime: n(m.creation_timestamp_ms),
				lastUpdatedTime: n(m.last_updated_timestamp_ms),
				status: loggedModelStatus(m.status),
				lifecycleStage: m.lifecycle_stage === 'deleted' ? 'deleted' : 'active',
				modelType: s(m.model_type) || null,
				sourceRunId: s(m.source_run_id),
				statusMessage: s(m.status_message),
				params: lmParams.get(id) ?? {},
				tags: lmTags.get(id) ?? {},
				metrics: lmMetrics
					.filter((x) => x[0] === id)
					.map((x) => ({ key: String(x[1]), value: metricValue(x[2], 0), timestamp: Number(x[3]), step: Number(x[4]), runId: s(x[5]) }))
			});
			ctx.counts.loggedModels++;
		}
	}

	// Model registry
	if (r.has('registered_models')) {
		const modelTags = r.has('registered_model_tags') ? group(r.rows('SELECT name, key, value FROM registered_model_tags')) : new Map();
		const aliases = new Map<string, Record<string, number>>();
		if (r.has('registered_model_aliases')) {
			for (const [name, alias, version] of r.rows('SELECT name, alias, version FROM registered_model_aliases')) {
				const a = aliases.get(String(name)) ?? {};
				a[String(alias)] = Number(version);
				aliases.set(String(name), a);
			}
		}
		for (const m of r.objects('SELECT name, creation_time, last_updated_time, description FROM registered_models')) {
			const name = String(m.name);
			w.registeredModel({
				name,
				creationTime: n(m.creation_time),
				lastUpdatedTime: n(m.last_updated_time),
				description: s(m.description),
				tags: modelTags.get(name) ?? {},
				aliases: aliases.get(name) ?? {}
			});
			ctx.counts.registeredModels++;
		}
		const versionTags = r.has('model_version_tags')
			? group(r.rows('SELECT name || char(0) || version, key, value FROM model_version_tags'))
			: new Map();
		if (r.has('model_versions')) {
			for (const v of r.objects(
				`SELECT name, version, creation_time, last_updated_time, description, user_id, current_stage, source, run_id,
					status, status_message, run_link, ${r.col('model_versions', 'storage_location')} FROM model_versions`
			)) {
				if (v.current_stage === 'Deleted_Internal') {
					// MLflow's soft delete: hidden from every search and get; not a version any more.
					ctx.skip(
						`${file.path}#model_versions/${v.name}/${v.version}`,
						`version ${v.version} of model "${v.name}" was deleted in MLflow (stage Deleted_Internal): not imported`
					);
					continue;
				}
				w.modelVersion({
					name: String(v.name),
					version: Number(v.version),
					creationTime: n(v.creation_time),
					lastUpdatedTime: n(v.last_updated_time),
					description: s(v.description),
					userId: s(v.user_id),
					currentStage: s(v.current_stage) ?? 'None',
					source: s(v.source),
					runId: s(v.run_id),
					status: s(v.status),
					statusMessage: s(v.status_message),
					runLink: s(v.run_link),
					storageLocation: s(v.storage_location),
					modelId: null,
					tags: versionTags.get(`${v.name}\u0000${v.version}`) ?? {}
				});
				ctx.counts.modelVersions++;
			}
		}
	}

	importSqliteTraces(r, file.path, experimentIds, ctx);
}

/**
 * Reads the `metrics` history table into one series per (run, key), in one ordered scan.
 * A key present only in latest_metrics (possible in hand-edited stores) keeps its latest point.
 */
function metricHistory(r: SqliteReader): Map<string, Map<string, Series>> {
	const out = new Map<string, Map<string, Series>>();
	if (!r.has('metrics')) return out;
	const st = r.db.prepare(
		`SELECT run_uuid, key, value, timestamp, ${r.col('metrics', 'step')}, ${r.col('metrics', 'is_nan')} FROM metrics ORDER BY run_uuid, key, 5, timestamp`
	);
	let run = '';
	let key = '';
	let steps: number[] = [];
	let timestamps: number[] = [];
	let values: number[] = [];
	const flush = () => {
		if (values.length === 0) return;
		let byKey = out.get(run);
		if (!byKey) out.set(run, (byKey = new Map()));
		byKey.set(key, {
			steps: Float64Array.from(steps),
			timestamps: Float64Array.from(timestamps),
			values: Float64Array.from(values)
		});
		steps = [];
		timestamps = [];
		values = [];
	};
	while (st.step()) {
		const row = st.get();
		const rRun = row[0] as string;
		const rKey = row[1] as string;
		if (rRun !== run || rKey !== key) {
			flush();
			run = rRun;
			key = rKey;
		}
		values.push(metricValue(row[2], row[5]));
		timestamps.push(Number(row[3] ?? 0));
		steps.push(Number(row[4] ?? 0));
	}
	flush();
	st.free();
	if (r.has('latest_metrics')) {
		for (const [runId, k, value, timestamp, step, isNan] of r.rows(
			'SELECT run_uuid, key, value, timestamp, step, is_nan FROM latest_metrics'
		)) {
			const byKey = out.get(String(runId)) ?? new Map<string, Series>();
			if (byKey.has(String(k))) continue;
			byKey.set(String(k), {
				steps: Float64Array.of(Number(step ?? 0)),
				timestamps: Float64Array.of(Number(timestamp ?? 0)),
				values: Float64Array.of(metricValue(value, isNan))
			});
			out.set(String(runId), byKey);
		}
	}
	return out;
}
