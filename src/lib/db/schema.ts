/**
 * Trackside's store schema, modelled on MLflow's SQL store so that an `mlflow.db` maps onto it
 * table for table. Differences, each for a reason:
 * - ids are TEXT: FileStore experiment ids have 18 digits, beyond what a JS number holds exactly.
 * - `metrics` (a row per point) is replaced by `metric_series` (a row per run and key holding a
 *   packed blob, see series-codec.ts) with its count, min and max beside it for tables.
 * - `latest_metrics.value` is NULL when the value is NaN (SQLite REAL cannot hold NaN).
 * - no workspace column: an import reads every workspace into one store.
 * - `artifacts` indexes files whose bytes live in IndexedDB, and `sources` records each import.
 *
 * Each entry of MIGRATIONS moves the store from user_version i to i+1; never edit a released one.
 */
export const MIGRATIONS: string[] = [
	/* 0 -> 1 */ `
CREATE TABLE experiments (
	experiment_id TEXT PRIMARY KEY,
	name TEXT NOT NULL,
	artifact_location TEXT,
	lifecycle_stage TEXT NOT NULL DEFAULT 'active',
	creation_time INTEGER,
	last_update_time INTEGER
);
CREATE TABLE experiment_tags (
	experiment_id TEXT NOT NULL,
	key TEXT NOT NULL,
	value TEXT,
	PRIMARY KEY (experiment_id, key)
) WITHOUT ROWID;
CREATE TABLE runs (
	run_uuid TEXT PRIMARY KEY,
	name TEXT,
	source_type TEXT,
	source_name TEXT,
	entry_point_name TEXT,
	user_id TEXT,
	status TEXT,
	start_time INTEGER,
	end_time INTEGER,
	deleted_time INTEGER,
	source_version TEXT,
	lifecycle_stage TEXT NOT NULL DEFAULT 'active',
	artifact_uri TEXT,
	experiment_id TEXT NOT NULL
);
CREATE INDEX runs_by_experiment ON runs (experiment_id, start_time DESC);
CREATE TABLE params (
	run_uuid TEXT NOT NULL,
	key TEXT NOT NULL,
	value TEXT NOT NULL,
	PRIMARY KEY (run_uuid, key)
) WITHOUT ROWID;
CREATE TABLE tags (
	run_uuid TEXT NOT NULL,
	key TEXT NOT NULL,
	value TEXT,
	PRIMARY KEY (run_uuid, key)
) WITHOUT ROWID;
CREATE TABLE latest_metrics (
	run_uuid TEXT NOT NULL,
	key TEXT NOT NULL,
	value REAL,
	timestamp INTEGER,
	step INTEGER NOT NULL,
	is_nan INTEGER NOT NULL DEFAULT 0,
	PRIMARY KEY (run_uuid, key)
) WITHOUT ROWID;
-- A rowid table on purpose: SQLite advises against WITHOUT ROWID for rows with large blobs.
CREATE TABLE metric_series (
	run_uuid TEXT NOT NULL,
	key TEXT NOT NULL,
	point_count INTEGER NOT NULL,
	min_value REAL,
	max_value REAL,
	points BLOB NOT NULL,
	UNIQUE (run_uuid, key)
);
CREATE TABLE datasets (
	dataset_uuid TEXT NOT NULL,
	experiment_id TEXT NOT NULL,
	name TEXT NOT NULL,
	digest TEXT NOT NULL,
	dataset_source_type TEXT,
	dataset_source TEXT,
	dataset_schema TEXT,
	dataset_profile TEXT,
	PRIMARY KEY (experiment_id, name, digest)
);
CREATE TABLE inputs (
	input_uuid TEXT NOT NULL,
	source_type TEXT NOT NULL,
	source_id TEXT NOT NULL,
	destination_type TEXT NOT NULL,
	destination_id TEXT NOT NULL,
	step INTEGER NOT NULL DEFAULT 0,
	PRIMARY KEY (source_type, source_id, destination_type, destination_id)
);
CREATE INDEX inputs_by_destination ON inputs (destination_id);
CREATE TABLE input_tags (
	input_uuid TEXT NOT NULL,
	name TEXT NOT NULL,
	value TEXT NOT NULL,
	PRIMARY KEY (input_uuid, name)
) WITHOUT ROWID;
CREATE TABLE registered_models (
	name TEXT PRIMARY KEY,
	creation_time INTEGER,
	last_updated_time INTEGER,
	description TEXT
);
CREATE TABLE registered_model_tags (
	name TEXT NOT NULL,
	key TEXT NOT NULL,
	value TEXT,
	PRIMARY KEY (name, key)
) WITHOUT ROWID;
CREATE TABLE model_versions (
	name TEXT NOT NULL,
	version INTEGER NOT NULL,
	creation_time INTEGER,
	last_updated_time INTEGER,
	description TEXT,
	user_id TEXT,
	current_stage TEXT,
	source TEXT,
	run_id TEXT,
	status TEXT,
	status_message TEXT,
	run_link TEXT,
	storage_location TEXT,
	model_id TEXT,
	PRIMARY KEY (name, version)
);
CREATE INDEX model_versions_by_run ON model_versions (run_id);
CREATE TABLE model_version_tags (
	name TEXT NOT NULL,
	version INTEGER NOT NULL,
	key TEXT NOT NULL,
	value TEXT,
	PRIMARY KEY (name, version, key)
) WITHOUT ROWID;
CREATE TABLE registered_model_aliases (
	name TEXT NOT NULL,
	alias TEXT NOT NULL,
	version INTEGER NOT NULL,
	PRIMARY KEY (name, alias)
) WITHOUT ROWID;
CREATE TABLE logged_models (
	model_id TEXT PRIMARY KEY,
	experiment_id TEXT NOT NULL,
	name TEXT NOT NULL,
	artifact_location TEXT,
	creation_timestamp_ms INTEGER,
	last_updated_timestamp_ms INTEGER,
	status TEXT,
	lifecycle_stage TEXT NOT NULL DEFAULT 'active',
	model_type TEXT,
	source_run_id TEXT,
	status_message TEXT
);
CREATE INDEX logged_models_by_run ON logged_models (source_run_id);
CREATE TABLE logged_model_params (
	model_id TEXT NOT NULL,
	param_key TEXT NOT NULL,
	param_value TEXT NOT NULL,
	PRIMARY KEY (model_id, param_key)
) WITHOUT ROWID;
CREATE TABLE logged_model_tags (
	model_id TEXT NOT NULL,
	tag_key TEXT NOT NULL,
	tag_value TEXT NOT NULL,
	PRIMARY KEY (model_id, tag_key)
) WITHOUT ROWID;
CREATE TABLE logged_model_metrics (
	model_id TEXT NOT NULL,
	metric_name TEXT NOT NULL,
	metric_timestamp_ms INTEGER NOT NULL,
	metric_step INTEGER NOT NULL,
	metric_value REAL,
	run_id TEXT,
	PRIMARY KEY (model_id, metric_name, metric_timestamp_ms, metric_step)
) WITHOUT ROWID;
-- Artifact files of runs (owner = run_uuid) and logged models (owner = m-...); bytes in IndexedDB.
CREATE TABLE artifacts (
	owner_id TEXT NOT NULL,
	path TEXT NOT NULL,
	size INTEGER NOT NULL,
	PRIMARY KEY (owner_id, path)
) WITHOUT ROWID;
CREATE TABLE sources (
	source_id INTEGER PRIMARY KEY,
	name TEXT NOT NULL,
	kind TEXT NOT NULL,
	imported_at INTEGER NOT NULL,
	report TEXT NOT NULL
);
`,
	/* 1 -> 2: the runs table's search reads only this index for an experiment's runs in MLflow's
	   default order (start_time DESC, run_id), with no table lookup and no sort. */ `
DROP INDEX runs_by_experiment;
CREATE INDEX runs_by_experiment ON runs (experiment_id, lifecycle_stage, start_time DESC, run_uuid);
`,
	/* 2 -> 3: a series imported from REST runs/search holds only the latest point; flagged so the
	   run page can say so, and cleared when a full history merges in. */ `
ALTER TABLE metric_series ADD COLUMN latest_only INTEGER NOT NULL DEFAULT 0;
`,
	/* 3 -> 4: which import brought which entity, so that a source can be removed with what only it
	   brought. Keys: experiment id, run id, model name, "name\u0000version", logged model id. Sources
	   imported before this have no rows: removing them removes only their entry. */ `
CREATE TABLE provenance (
	source_id INTEGER NOT NULL,
	kind TEXT NOT NULL,
	key TEXT NOT NULL,
	PRIMARY KEY (source_id, kind, key)
) WITHOUT ROWID;
CREATE INDEX provenance_by_entity ON provenance (kind, key);
`,
	/* 4 -> 5: MLflow 3 GenAI traces (see traces/ and ../shared/docs/mlflow-genai-formats.md). A trace
	   row holds the info in MLflow 3's names (v2 traces mapped onto them, as MLflow's SQL store does),
	   plus the list's derived columns, computed once at import from metadata and spans. Spans are
	   split in two: a light row per span for the tree and the timeline, and their full JSON (inputs,
	   outputs, attributes: megabytes for big traces) deflated in chunks, decoded only when a span is
	   opened and moved out of a snapshot's image like series. */ `
CREATE TABLE traces (
	trace_id TEXT PRIMARY KEY,
	experiment_id TEXT NOT NULL,
	request_time INTEGER NOT NULL,
	execution_duration INTEGER,
	state TEXT NOT NULL,
	client_request_id TEXT,
	request_preview TEXT,
	response_preview TEXT,
	-- Derived (trace-fields.ts): what the list shows.
	request_text TEXT,
	response_text TEXT,
	trace_name TEXT,
	session_id TEXT,
	user_id TEXT,
	run_id TEXT,
	input_tokens INTEGER,
	output_tokens INTEGER,
	total_tokens INTEGER,
	total_cost REAL,
	-- NULL: no source held the spans (MLflow 2 stores whose traces.json was not kept).
	span_count INTEGER
);
CREATE INDEX traces_by_experiment ON traces (experiment_id, request_time DESC, trace_id);
CREATE INDEX traces_by_run ON traces (run_id);
CREATE TABLE trace_tags (
	trace_id TEXT NOT NULL,
	key TEXT NOT NULL,
	value TEXT,
	PRIMARY KEY (trace_id, key)
) WITHOUT ROWID;
CREATE TABLE trace_metadata (
	trace_id TEXT NOT NULL,
	key TEXT NOT NULL,
	value TEXT,
	PRIMARY KEY (trace_id, key)
) WITHOUT ROWID;
-- search_traces filters on a tag or metadata key: the traces with it are read from these.
CREATE INDEX trace_tags_by_value ON trace_tags (key, value);
CREATE INDEX trace_metadata_by_value ON trace_metadata (key, value);
CREATE TABLE spans (
	trace_id TEXT NOT NULL,
	ordinal INTEGER NOT NULL,
	span_id TEXT NOT NULL,
	parent_span_id TEXT,
	name TEXT,
	span_type TEXT,
	status TEXT,
	start_ns INTEGER,
	end_ns INTEGER,
	chunk INTEGER NOT NULL,
	PRIMARY KEY (trace_id, ordinal)
) WITHOUT ROWID;
-- A rowid table: rows hold large blobs (see metric_series).
CREATE TABLE span_chunks (
	trace_id TEXT NOT NULL,
	chunk INTEGER NOT NULL,
	span_count INTEGER NOT NULL,
	content BLOB NOT NULL,
	UNIQUE (trace_id, chunk)
);
CREATE TABLE assessments (
	assessment_id TEXT PRIMARY KEY,
	trace_id TEXT NOT NULL,
	name TEXT NOT NULL,
	assessment_type TEXT NOT NULL,
	value TEXT,
	error TEXT,
	created_timestamp INTEGER,
	last_updated_timestamp INTEGER,
	source_type TEXT,
	source_id TEXT,
	run_id TEXT,
	span_id TEXT,
	rationale TEXT,
	overrides TEXT,
	valid INTEGER NOT NULL DEFAULT 1,
	assessment_metadata TEXT
);
CREATE INDEX assessments_by_trace ON assessments (trace_id);
CREATE INDEX assessments_by_name ON assessments (name, assessment_type);
CREATE TABLE entity_associations (
	source_type TEXT NOT NULL,
	source_id TEXT NOT NULL,
	destination_type TEXT NOT NULL,
	destination_id TEXT NOT NULL,
	PRIMARY KEY (source_type, source_id, destination_type, destination_id)
) WITHOUT ROWID;
CREATE INDEX entity_associations_by_destination ON entity_associations (destination_type, destination_id);
-- MLflow 3.4+ evaluation datasets (SQL stores, mlflow-export-import); JSON columns as MLflow keeps them.
CREATE TABLE evaluation_datasets (
	dataset_id TEXT PRIMARY KEY,
	name TEXT NOT NULL,
	digest TEXT,
	schema TEXT,
	profile TEXT,
	tags TEXT,
	created_time INTEGER,
	last_update_time INTEGER,
	created_by TEXT,
	last_updated_by TEXT
);
CREATE TABLE evaluation_dataset_records (
	dataset_record_id TEXT PRIMARY KEY,
	dataset_id TEXT NOT NULL,
	inputs TEXT NOT NULL,
	expectations TEXT,
	outputs TEXT,
	tags TEXT,
	source TEXT,
	source_type TEXT,
	source_id TEXT,
	created_time INTEGER,
	last_update_time INTEGER
);
CREATE INDEX evaluation_dataset_records_by_dataset ON evaluation_dataset_records (dataset_id, created_time);
-- Registered judges and scorers (MLflow 3.5+), read-only: each version's definition as MLflow serialized it.
CREATE TABLE scorers (
	scorer_id TEXT PRIMARY KEY,
	experiment_id TEXT NOT NULL,
	name TEXT NOT NULL
);
CREATE TABLE scorer_versions (
	scorer_id TEXT NOT NULL,
	version INTEGER NOT NULL,
	serialized TEXT NOT NULL,
	creation_time INTEGER,
	PRIMARY KEY (scorer_id, version)
) WITHOUT ROWID;
`,
	// 6: saved views of an experiment (a name and the experiment page's URL state), kept with the
	// data so that a snapshot opens with its author's views (MLflow 3.15 keeps them on its server).
	`
CREATE TABLE saved_views (
	experiment_id TEXT NOT NULL,
	name TEXT NOT NULL,
	query TEXT NOT NULL,
	created_time INTEGER NOT NULL,
	PRIMARY KEY (experiment_id, name)
) WITHOUT ROWID;
`
];

export const SCHEMA_VERSION = MIGRATIONS.length;
