/**
 * Generators of small MLflow stores with the shapes real ones have, for specs that need a case no
 * real fixture holds: FileStore folders (as path -> bytes, for treeFromMap) and SQLite stores of a
 * chosen schema generation, written the way MLflow writes them.
 */
import type { SqlJsStatic } from 'sql.js';

const enc = new TextEncoder();

export interface GenRun {
	id: string;
	name?: string;
	user?: string;
	lifecycle?: 'active' | 'deleted';
	start?: number;
	end?: number | null;
	params?: Record<string, string>;
	tags?: Record<string, string>;
	/** Metric file contents as lines `timestamp value step`, written verbatim. */
	metrics?: Record<string, string[]>;
}

export interface GenExperiment {
	id: string;
	name: string;
	artifactLocation?: string;
	creationTime?: number;
	lifecycle?: 'active' | 'deleted';
	/** Under `.trash/` (a deleted experiment's folder). */
	trashed?: boolean;
	runs?: GenRun[];
	/** MLflow 3 trace ids with a trace_info.yaml each. */
	traces?: string[];
	/** Experiment tags (mlflow.note.content is its description). */
	tags?: Record<string, string>;
}

export interface GenModel {
	name: string;
	versions: { version: number; stage: string; runId?: string }[];
}

/** An `mlruns/` folder as MLflow's FileStore writes it (paths under `root/`). */
export function fileStore(experiments: GenExperiment[], models: GenModel[] = [], root = 'mlruns'): Map<string, Uint8Array> {
	const files = new Map<string, Uint8Array>();
	const put = (path: string, text: string) => files.set(`${root}/${path}`, enc.encode(text));
	for (const e of experiments) {
		const dir = `${e.trashed ? '.trash/' : ''}${e.id}`;
		put(
			`${dir}/meta.yaml`,
			`artifact_location: ${e.artifactLocation ?? `file:///home/user/${root}/${e.id}`}\ncreation_time: ${e.creationTime ?? 1_700_000_000_000}\nexperiment_id: '${e.id}'\nlast_update_time: ${e.creationTime ?? 1_700_000_000_000}\nlifecycle_stage: ${e.lifecycle ?? (e.trashed ? 'deleted' : 'active')}\nname: ${e.name}\n`
		);
		for (const r of e.runs ?? []) {
			const rd = `${dir}/${r.id}`;
			put(
				`${rd}/meta.yaml`,
				`artifact_uri: file:///home/user/${root}/${e.id}/${r.id}/artifacts\nend_time: ${r.end === undefined ? (r.start ?? 1_700_000_000_000) + 1000 : (r.end ?? 'null')}\nentry_point_name: ''\nexperiment_id: '${e.id}'\nlifecycle_stage: ${r.lifecycle ?? 'active'}\nrun_id: ${r.id}\nrun_name: ${r.name ?? r.id.slice(0, 8)}\nrun_uuid: ${r.id}\nsource_name: ''\nsource_type: 4\nsource_version: ''\nstart_time: ${r.start ?? 1_700_000_000_000}\nstatus: 3\ntags: []\nuser_id: ${r.user ?? 'someone'}\n`
			);
			for (const [k, v] of Object.entries(r.params ?? {})) put(`${rd}/params/${k}`, v);
			for (const [k, v] of Object.entries(r.tags ?? {})) put(`${rd}/tags/${k}`, v);
			for (const [k, lines] of Object.entries(r.metrics ?? {})) put(`${rd}/metrics/${k}`, lines.map((l) => l + '\n').join(''));
		}
		for (const [k, v] of Object.entries(e.tags ?? {})) put(`${dir}/tags/${k}`, v);
		for (const t of e.traces ?? []) {
			put(`${dir}/traces/${t}/trace_info.yaml`, `trace_id: ${t}\nexperiment_id: '${e.id}'\nstatus: OK\n`);
			put(`${dir}/traces/${t}/tags/mlflow.traceName`, 'predict');
		}
	}
	for (const m of models) {
		put(
			`models/${m.name}/meta.yaml`,
			`creation_timestamp: 1700000000000\ndescription: ''\nlast_updated_timestamp: 1700000000000\nname: ${m.name}\n`
		);
		for (const v of m.versions) {
			put(
				`models/${m.name}/version-${v.version}/meta.yaml`,
				`creation_timestamp: 1700000000000\ncurrent_stage: ${v.stage}\ndescription: ''\nlast_updated_timestamp: 1700000000000\nname: ${m.name}\nrun_id: ${v.runId ?? ''}\nsource: models:/${m.name}/${v.version}\nstatus: READY\nstatus_message: null\nuser_id: null\nversion: ${v.version}\n`
			);
		}
	}
	return files;
}

/**
 * MLflow's SQL schema before its first migration (MLflow 0.9.1: mlflow/store/dbmodels/
 * initial_models.py): no alembic_version, no experiment_tags, no latest_metrics, metrics without
 * step and is_nan. `step` adds revision 451aebb31d03's metric step column and its alembic row.
 */
const INITIAL_SCHEMA = `
CREATE TABLE experiments (experiment_id INTEGER NOT NULL, name VARCHAR(256) NOT NULL, artifact_location VARCHAR(256),
	lifecycle_stage VARCHAR(32), CONSTRAINT experiment_pk PRIMARY KEY (experiment_id), UNIQUE (name),
	CONSTRAINT experiments_lifecycle_stage CHECK (lifecycle_stage IN ('active', 'deleted')));
CREATE TABLE runs (run_uuid VARCHAR(32) NOT NULL, name VARCHAR(250), source_type VARCHAR(20), source_name VARCHAR(500),
	entry_point_name VARCHAR(50), user_id VARCHAR(256), status VARCHAR(20), start_time BIGINT, end_time BIGINT,
	source_version VARCHAR(50), lifecycle_stage VARCHAR(20), artifact_uri VARCHAR(200), experiment_id INTEGER,
	CONSTRAINT run_pk PRIMARY KEY (run_uuid), FOREIGN KEY(experiment_id) REFERENCES experiments (experiment_id));
CREATE TABLE tags (key VARCHAR(250) NOT NULL, value VARCHAR(250), run_uuid VARCHAR(32) NOT NULL,
	CONSTRAINT tag_pk PRIMARY KEY (key, run_uuid), FOREIGN KEY(run_uuid) REFERENCES runs (run_uuid));
CREATE TABLE metrics (key VARCHAR(250) NOT NULL, value FLOAT NOT NULL, timestamp BIGINT NOT NULL, run_uuid VARCHAR(32) NOT NULL,
	CONSTRAINT metric_pk PRIMARY KEY (key, timestamp, run_uuid), FOREIGN KEY(run_uuid) REFERENCES runs (run_uuid));
CREATE TABLE params (key VARCHAR(250) NOT NULL, value VARCHAR(250) NOT NULL, run_uuid VARCHAR(32) NOT NULL,
	CONSTRAINT param_pk PRIMARY KEY (key, run_uuid), FOREIGN KEY(run_uuid) REFERENCES runs (run_uuid));
`;

export interface GenSqlRun {
	id: string;
	experimentId: number;
	user: string | null;
	tags?: Record<string, string>;
	params?: Record<string, string>;
	/** [key, value, timestamp, step] (step ignored without the step column). */
	metrics?: [string, number, number, number][];
}

export function initialSqliteStore(
	SQL: SqlJsStatic,
	experiments: { id: number; name: string }[],
	runs: GenSqlRun[],
	withStep = false
): Uint8Array {
	const db = new SQL.Database();
	try {
		db.exec(INITIAL_SCHEMA);
		if (withStep) {
			db.exec(
				"ALTER TABLE metrics ADD COLUMN step BIGINT DEFAULT '0' NOT NULL; CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL); INSERT INTO alembic_version VALUES ('451aebb31d03');"
			);
		}
		for (const e of experiments) db.run('INSERT INTO experiments VALUES (?, ?, ?, ?)', [e.id, e.name, `./mlruns/${e.id}`, 'active']);
		for (const r of runs) {
			db.run('INSERT INTO runs VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)', [
				r.id,
				'',
				'LOCAL',
				'train.py',
				'main',
				r.user,
				'FINISHED',
				1_550_000_000_000,
				1_550_000_001_000,
				'abc',
				'active',
				`./mlruns/${r.experimentId}/${r.id}/artifacts`,
				r.experimentId
			]);
			for (const [k, v] of Object.entries(r.tags ?? {})) db.run('INSERT INTO tags VALUES (?, ?, ?)', [k, v, r.id]);
			for (const [k, v] of Object.entries(r.params ?? {})) db.run('INSERT INTO params VALUES (?, ?, ?)', [k, v, r.id]);
			for (const [k, v, t, step] of r.metrics ?? []) {
				if (withStep) db.run('INSERT INTO metrics (key, value, timestamp, run_uuid, step) VALUES (?, ?, ?, ?, ?)', [k, v, t, r.id, step]);
				else db.run('INSERT INTO metrics VALUES (?, ?, ?, ?)', [k, v, t, r.id]);
			}
		}
		return db.export();
	} finally {
		db.close();
	}
}
