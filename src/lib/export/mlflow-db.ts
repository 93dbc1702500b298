/**
 * An export as MLflow's SQL store: an SQLite `mlflow.db` at alembic revision 867495a8f9d4
 * (MLflow 2.13), which `mlflow ui --backend-store-uri sqlite:///mlflow.db` opens as it is and
 * `mlflow db upgrade` brings to any later MLflow. This revision is the newest without MLflow 3's
 * tables (logged models, traces v3, assessments...), so every table here is one Trackside fills
 * or leaves empty on purpose. Metric histories become MLflow's row-per-point `metrics` table.
 */
import type { SqlJsStatic } from 'sql.js';
import type { ExportSet } from './collect';
import { numericExperimentIds } from './numeric-ids';

export const MLFLOW_DB_REVISION = '867495a8f9d4';

// MLflow's schema at that revision (mlflow/store/tracking/dbmodels, model_registry/dbmodels).
const SCHEMA = `
CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL, CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num));
CREATE TABLE experiments (
	experiment_id INTEGER NOT NULL, name VARCHAR(256) NOT NULL, artifact_location VARCHAR(256),
	lifecycle_stage VARCHAR(32), creation_time BIGINT, last_update_time BIGINT,
	CONSTRAINT experiment_pk PRIMARY KEY (experiment_id),
	CONSTRAINT experiments_lifecycle_stage CHECK (lifecycle_stage IN ('active', 'deleted')), UNIQUE (name));
CREATE TABLE experiment_tags ("key" VARCHAR(250) NOT NULL, value VARCHAR(5000), experiment_id INTEGER NOT NULL,
	CONSTRAINT experiment_tag_pk PRIMARY KEY ("key", experiment_id), FOREIGN KEY(experiment_id) REFERENCES experiments (experiment_id));
CREATE TABLE runs (
	run_uuid VARCHAR(32) NOT NULL, name VARCHAR(250), source_type VARCHAR(20), source_name VARCHAR(500),
	entry_point_name VARCHAR(50), user_id VARCHAR(256), status VARCHAR(9), start_time BIGINT, end_time BIGINT,
	source_version VARCHAR(50), lifecycle_stage VARCHAR(20), artifact_uri VARCHAR(200), experiment_id INTEGER, deleted_time BIGINT,
	CONSTRAINT run_pk PRIMARY KEY (run_uuid),
	CONSTRAINT source_type CHECK (source_type IN ('NOTEBOOK', 'JOB', 'LOCAL', 'UNKNOWN', 'PROJECT')),
	CONSTRAINT runs_lifecycle_stage CHECK (lifecycle_stage IN ('active', 'deleted')),
	FOREIGN KEY(experiment_id) REFERENCES experiments (experiment_id),
	CHECK (status IN ('SCHEDULED', 'FAILED', 'FINISHED', 'RUNNING', 'KILLED')));
CREATE TABLE params ("key" VARCHAR(250) NOT NULL, value VARCHAR(8000) NOT NULL, run_uuid VARCHAR(32) NOT NULL,
	CONSTRAINT param_pk PRIMARY KEY ("key", run_uuid), FOREIGN KEY(run_uuid) REFERENCES runs (run_uuid));
CREATE TABLE tags ("key" VARCHAR(250) NOT NULL, value VARCHAR(5000), run_uuid VARCHAR(32) NOT NULL,
	CONSTRAINT tag_pk PRIMARY KEY ("key", run_uuid), FOREIGN KEY(run_uuid) REFERENCES runs (run_uuid));
CREATE TABLE metrics ("key" VARCHAR(250) NOT NULL, value FLOAT NOT NULL, timestamp BIGINT NOT NULL, run_uuid VARCHAR(32) NOT NULL,
	step BIGINT DEFAULT '0' NOT NULL, is_nan BOOLEAN DEFAULT '0' NOT NULL,
	CONSTRAINT metric_pk PRIMARY KEY ("key", timestamp, step, run_uuid, value, is_nan),
	FOREIGN KEY(run_uuid) REFERENCES runs (run_uuid), CHECK (is_nan IN (0, 1)));
CREATE TABLE latest_metrics ("key" VARCHAR(250) NOT NULL, value FLOAT NOT NULL, timestamp BIGINT, step BIGINT NOT NULL,
	is_nan BOOLEAN NOT NULL, run_uuid VARCHAR(32) NOT NULL,
	CONSTRAINT latest_metric_pk PRIMARY KEY ("key", run_uuid), FOREIGN KEY(run_uuid) REFERENCES runs (run_uuid), CHECK (is_nan IN (0, 1)));
CREATE TABLE datasets (dataset_uuid VARCHAR(36) NOT NULL, experiment_id INTEGER NOT NULL, name VARCHAR(500) NOT NULL,
	digest VARCHAR(36) NOT NULL, dataset_source_type VARCHAR(36) NOT NULL, dataset_source TEXT NOT NULL, dataset_schema TEXT,
	dataset_profile TEXT, CONSTRAINT dataset_pk PRIMARY KEY (experiment_id, name, digest),
	FOREIGN KEY(experiment_id) REFERENCES experiments (experiment_id));
CREATE TABLE inputs (input_uuid VARCHAR(36) NOT NULL, source_type VARCHAR(36) NOT NULL, source_id VARCHAR(36) NOT NULL,
	destination_type VARCHAR(36) NOT NULL, destination_id VARCHAR(36) NOT NULL,
	CONSTRAINT inputs_pk PRIMARY KEY (source_type, source_id, destination_type, destination_id));
CREATE TABLE input_tags (input_uuid VARCHAR(36) NOT NULL, name VARCHAR(255) NOT NULL, value VARCHAR(500) NOT NULL,
	CONSTRAINT input_tags_pk PRIMARY KEY (input_uuid, name));
CREATE TABLE registered_models (name VARCHAR(256) NOT NULL, creation_time BIGINT, last_updated_time BIGINT,
	description VARCHAR(5000), CONSTRAINT registered_model_pk PRIMARY KEY (name), UNIQUE (name));
CREATE TABLE registered_model_tags ("key" VARCHAR(250) NOT NULL, value VARCHAR(5000), name VARCHAR(256) NOT NULL,
	CONSTRAINT registered_model_tag_pk PRIMARY KEY ("key", name), FOREIGN KEY(name) REFERENCES registered_models (name) ON UPDATE cascade);
CREATE TABLE registered_model_aliases (alias VARCHAR(256) NOT NULL, version INTEGER NOT NULL, name VARCHAR(256) NOT NULL,
	CONSTRAINT registered_model_alias_pk PRIMARY KEY (name, alias),
	CONSTRAINT registered_model_alias_name_fkey FOREIGN KEY(name) REFERENCES registered_models (name) ON DELETE cascade ON UPDATE cascade);
CREATE TABLE model_versions (name VARCHAR(256) NOT NULL, version INTEGER NOT NULL, creation_time BIGINT, last_updated_time BIGINT,
	description VARCHAR(5000), user_id VARCHAR(256), current_stage VARCHAR(20), source VARCHAR(500), run_id VARCHAR(32),
	status VARCHAR(20), status_message VARCHAR(500), run_link VARCHAR(500), storage_location VARCHAR(500),
	CONSTRAINT model_version_pk PRIMARY KEY (name, version), FOREIGN KEY(name) REFERENCES registered_models (name) ON UPDATE CASCADE);
CREATE TABLE model_version_tags ("key" VARCHAR(250) NOT NULL, value VARCHAR(5000), name VARCHAR(256) NOT NULL, version INTEGER NOT NULL,
	CONSTRAINT model_version_tag_pk PRIMARY KEY ("key", name, version),
	FOREIGN KEY(name, version) REFERENCES model_versions (name, version) ON UPDATE cascade);
CREATE TABLE trace_info (request_id VARCHAR(50) NOT NULL, experiment_id INTEGER NOT NULL, timestamp_ms BIGINT NOT NULL,
	execution_time_ms BIGINT, status VARCHAR(50) NOT NULL, CONSTRAINT trace_info_pk PRIMARY KEY (request_id),
	CONSTRAINT fk_trace_info_experiment_id FOREIGN KEY(experiment_id) REFERENCES experiments (experiment_id));
CREATE TABLE trace_request_metadata ("key" VARCHAR(250) NOT NULL, value VARCHAR(8000), request_id VARCHAR(50) NOT NULL,
	CONSTRAINT trace_request_metadata_pk PRIMARY KEY ("key", request_id),
	CONSTRAINT fk_trace_request_metadata_request_id FOREIGN KEY(request_id) REFERENCES trace_info (request_id));
CREATE TABLE trace_tags ("key" VARCHAR(250) NOT NULL, value VARCHAR(8000), request_id VARCHAR(50) NOT NULL,
	CONSTRAINT trace_tag_pk PRIMARY KEY ("key", request_id),
	CONSTRAINT fk_trace_tags_request_id FOREIGN KEY(request_id) REFERENCES trace_info (request_id));
CREATE INDEX index_datasets_dataset_uuid ON datasets (dataset_uuid);
CREATE INDEX index_datasets_experiment_id_dataset_source_type ON datasets (experiment_id, dataset_source_type);
CREATE INDEX index_inputs_destination_type_destination_id_source_type ON inputs (destination_type, destination_id, source_type);
CREATE INDEX index_inputs_input_uuid ON inputs (input_uuid);
CREATE INDEX index_latest_metrics_run_uuid ON latest_metrics (run_uuid);
CREATE INDEX index_metrics_run_uuid ON metrics (run_uuid);
CREATE INDEX index_params_run_uuid ON params (run_uuid);
CREATE INDEX index_tags_run_uuid ON tags (run_uuid);
CREATE INDEX index_trace_info_experiment_id_timestamp_ms ON trace_info (experiment_id, timestamp_ms);
CREATE INDEX index_trace_request_metadata_request_id ON trace_request_metadata (request_id);
CREATE INDEX index_trace_tags_request_id ON trace_tags (request_id);
`;

const SOURCE_TYPES = new Set(['NOTEBOOK', 'JOB', 'LOCAL', 'UNKNOWN', 'PROJECT']);

export function mlflowDb(SQL: SqlJsStatic, set: ExportSet): Uint8Array {
	const db = new SQL.Database();
	try {
		db.exec(SCHEMA);
		db.run('INSERT INTO alembic_version VALUES (?)', [MLFLOW_DB_REVISION]);
		db.exec('BEGIN');
		const ids = numericExperimentIds(set.experiments);
		// Names are unique in MLflow's table; two stores' same-named experiments stay apart.
		const names = new Set<string>();
		for (const e of set.experiments) {
			let name = e.name;
			for (let k = 2; names.has(name); k++) name = `${e.name} (${k})`;
			names.add(name);
			db.run('INSERT INTO experiments VALUES (?, ?, ?, ?, ?, ?)', [
				ids.get(e.experiment_id)!,
				name,
				e.artifact_location ?? null,
				e.lifecycle_stage,
				e.creation_time ?? null,
				e.last_update_time ?? null
			]);
			for (const t of e.tags ?? []) db.run('INSERT INTO experiment_tags VALUES (?, ?, ?)', [t.key, t.value, ids.get(e.experiment_id)!]);
		}
		const metric = db.prepare('INSERT OR IGNORE INTO metrics VALUES (?, ?, ?, ?, ?, ?)');
		const latest = db.prepare('INSERT INTO latest_metrics VALUES (?, ?, ?, ?, ?, ?)');
		// NaN is stored as 0 with is_nan set, as MLflow does (SQL has no NaN).
		const stored = (v: number) => (Number.isNaN(v) ? 0 : v);
		for (const { row: r, params, tags, metrics } of set.runs) {
			db.run('INSERT INTO runs VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)', [
				r.run_uuid,
				r.name,
				r.source_type && SOURCE_TYPES.has(r.source_type) ? r.source_type : null,
				r.source_name,
				r.entry_point_name,
				r.user_id,
				r.status,
				r.start_time,
				r.end_time,
				r.source_version,
				r.lifecycle_stage,
				r.artifact_uri,
				ids.get(r.experiment_id)!,
				r.deleted_time
			]);
			for (const [k, v] of Object.entries(params)) db.run('INSERT INTO params VALUES (?, ?, ?)', [k, v, r.run_uuid]);
			for (const [k, v] of Object.entries(tags)) db.run('INSERT INTO tags VALUES (?, ?, ?)', [k, v, r.run_uuid]);
			for (const [key, s] of Object.entries(metrics)) {
				for (let i = 0; i < s.values.length; i++) {
					const v = s.values[i];
					metric.run([key, stored(v), s.timestamps[i], r.run_uuid, s.steps[i], Number.isNaN(v) ? 1 : 0]);
				}
				const last = s.values.length - 1;
				if (last >= 0)
					latest.run([key, stored(s.values[last]), s.timestamps[last], s.steps[last], Number.isNaN(s.values[last]) ? 1 : 0, r.run_uuid]);
			}
		}
		metric.free();
		latest.free();
		for (const m of set.models) {
			db.run('INSERT INTO registered_models VALUES (?, ?, ?, ?)', [
				m.name,
				m.creation_timestamp ?? null,
				m.last_updated_timestamp ?? null,
				m.description ?? null
			]);
			for (const t of m.tags ?? []) db.run('INSERT INTO registered_model_tags VALUES (?, ?, ?)', [t.key, t.value, m.name]);
			for (const a of m.aliases ?? [])
				db.run('INSERT INTO registered_model_aliases VALUES (?, ?, ?)', [a.alias, Number(a.version), m.name]);
		}
		for (const v of set.versions) {
			db.run('INSERT INTO model_versions VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)', [
				v.name,
				Number(v.version),
				v.creation_timestamp ?? null,
				v.last_updated_timestamp ?? null,
				v.description ?? null,
				v.user_id ?? null,
				v.current_stage ?? 'None',
				v.source ?? null,
				v.run_id ?? null,
				v.status ?? 'READY',
				v.status_message ?? null,
				v.run_link ?? null,
				null
			]);
			for (const t of v.tags ?? [])
				db.run('INSERT INTO model_version_tags VALUES (?, ?, ?, ?)', [t.key, t.value, v.name, Number(v.version)]);
		}
		// This revision's trace tables hold a trace's info, tags and metadata (v2 columns); spans and
		// assessments have no table before MLflow 3, so they stay out.
		for (const { info } of set.traces) {
			const id = info.trace_id;
			const experimentId = ids.get(info.trace_location.mlflow_experiment.experiment_id);
			if (experimentId === undefined) continue;
			db.run('INSERT INTO trace_info VALUES (?, ?, ?, ?, ?)', [
				id,
				experimentId,
				Date.parse(info.request_time),
				info.execution_duration_ms ?? null,
				info.state === 'STATE_UNSPECIFIED' ? 'TRACE_STATUS_UNSPECIFIED' : info.state
			]);
			for (const [k, v] of Object.entries(info.tags)) db.run('INSERT INTO trace_tags VALUES (?, ?, ?)', [k, v, id]);
			for (const [k, v] of Object.entries(info.trace_metadata)) db.run('INSERT INTO trace_request_metadata VALUES (?, ?, ?)', [k, v, id]);
		}
		db.exec('COMMIT');
		return db.export();
	} finally {
		db.close();
	}
}
