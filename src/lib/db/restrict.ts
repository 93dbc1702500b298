/**
 * Cuts a copy of a store down to some experiments or runs, for a snapshot: their runs, logged models and
 * datasets, the registry entries of those runs, and nothing about where data came from (import
 * reports name local files). Run on a copy, never on the user's store.
 */
import type { Database } from 'sql.js';

/**
 * Keeps the given experiments (all their runs), or the given runs (and their experiments, without
 * their other runs), or both (those runs of those experiments).
 */
export function restrictTo(db: Database, sel: { experimentIds?: string[]; runIds?: string[] }): void {
	db.exec('CREATE TEMP TABLE keep_runs (id TEXT PRIMARY KEY); CREATE TEMP TABLE keep_experiments (id TEXT PRIMARY KEY)');
	const fill = (table: string, ids: string[]) => {
		const st = db.prepare(`INSERT OR IGNORE INTO ${table} VALUES (?)`);
		for (const id of ids) st.run([id]);
		st.free();
	};
	if (sel.runIds) fill('keep_runs', sel.runIds);
	else db.exec('INSERT INTO keep_runs SELECT run_uuid FROM runs');
	if (sel.experimentIds) {
		fill('keep_experiments', sel.experimentIds);
		db.exec('DELETE FROM keep_runs WHERE id NOT IN (SELECT run_uuid FROM runs WHERE experiment_id IN (SELECT id FROM keep_experiments))');
	} else
		db.exec('INSERT OR IGNORE INTO keep_experiments SELECT DISTINCT experiment_id FROM runs WHERE run_uuid IN (SELECT id FROM keep_runs)');
	db.exec(`
		CREATE TEMP TABLE gone_runs AS SELECT run_uuid FROM runs WHERE run_uuid NOT IN (SELECT id FROM keep_runs);
		CREATE TEMP TABLE gone_models AS SELECT model_id FROM logged_models WHERE experiment_id NOT IN (SELECT id FROM keep_experiments);
		DELETE FROM params WHERE run_uuid IN (SELECT run_uuid FROM gone_runs);
		DELETE FROM tags WHERE run_uuid IN (SELECT run_uuid FROM gone_runs);
		DELETE FROM latest_metrics WHERE run_uuid IN (SELECT run_uuid FROM gone_runs);
		DELETE FROM metric_series WHERE run_uuid IN (SELECT run_uuid FROM gone_runs);
		DELETE FROM input_tags WHERE input_uuid IN (SELECT input_uuid FROM inputs WHERE destination_id IN (SELECT run_uuid FROM gone_runs) OR source_id IN (SELECT run_uuid FROM gone_runs));
		DELETE FROM inputs WHERE destination_id IN (SELECT run_uuid FROM gone_runs) OR source_id IN (SELECT run_uuid FROM gone_runs);
		DELETE FROM artifacts WHERE owner_id IN (SELECT run_uuid FROM gone_runs) OR owner_id IN (SELECT model_id FROM gone_models);
		DELETE FROM runs WHERE run_uuid IN (SELECT run_uuid FROM gone_runs);
		DELETE FROM logged_model_params WHERE model_id IN (SELECT model_id FROM gone_models);
		DELETE FROM logged_model_tags WHERE model_id IN (SELECT model_id FROM gone_models);
		DELETE FROM logged_model_metrics WHERE model_id IN (SELECT model_id FROM gone_models);
		DELETE FROM logged_models WHERE model_id IN (SELECT model_id FROM gone_models);
		DELETE FROM datasets WHERE experiment_id NOT IN (SELECT id FROM keep_experiments);
		-- Traces: those of kept experiments, less those of runs left out.
		CREATE TEMP TABLE gone_traces AS SELECT trace_id FROM traces WHERE experiment_id NOT IN (SELECT id FROM keep_experiments)
			OR run_id IN (SELECT run_uuid FROM gone_runs);
		DELETE FROM trace_tags WHERE trace_id IN (SELECT trace_id FROM gone_traces);
		DELETE FROM trace_metadata WHERE trace_id IN (SELECT trace_id FROM gone_traces);
		DELETE FROM spans WHERE trace_id IN (SELECT trace_id FROM gone_traces);
		DELETE FROM span_chunks WHERE trace_id IN (SELECT trace_id FROM gone_traces);
		DELETE FROM assessments WHERE trace_id IN (SELECT trace_id FROM gone_traces);
		DELETE FROM entity_associations WHERE source_type = 'trace' AND source_id IN (SELECT trace_id FROM gone_traces);
		DELETE FROM traces WHERE trace_id IN (SELECT trace_id FROM gone_traces);
		DROP TABLE gone_traces;
		-- Evaluation datasets of kept experiments.
		CREATE TEMP TABLE gone_datasets AS SELECT dataset_id FROM evaluation_datasets WHERE dataset_id NOT IN (SELECT source_id FROM entity_associations
			WHERE source_type = 'evaluation_dataset' AND destination_type = 'experiment' AND destination_id IN (SELECT id FROM keep_experiments));
		DELETE FROM evaluation_dataset_records WHERE dataset_id IN (SELECT dataset_id FROM gone_datasets);
		DELETE FROM entity_associations WHERE source_type = 'evaluation_dataset' AND (source_id IN (SELECT dataset_id FROM gone_datasets)
			OR destination_id NOT IN (SELECT id FROM keep_experiments));
		DELETE FROM evaluation_datasets WHERE dataset_id IN (SELECT dataset_id FROM gone_datasets);
		DROP TABLE gone_datasets;
		DELETE FROM scorer_versions WHERE scorer_id IN (SELECT scorer_id FROM scorers WHERE experiment_id NOT IN (SELECT id FROM keep_experiments));
		DELETE FROM scorers WHERE experiment_id NOT IN (SELECT id FROM keep_experiments);
		DELETE FROM experiment_tags WHERE experiment_id NOT IN (SELECT id FROM keep_experiments);
		DELETE FROM saved_views WHERE experiment_id NOT IN (SELECT id FROM keep_experiments);
		DELETE FROM experiments WHERE experiment_id NOT IN (SELECT id FROM keep_experiments);
		-- The registry: models with a version from a kept run, with all their versions.
		-- and prompts used in a kept experiment (MLflow's _mlflow_experiment_ids tag: ',0,3,').
		CREATE TEMP TABLE keep_models AS SELECT DISTINCT name FROM model_versions WHERE run_id IN (SELECT run_uuid FROM runs)
			UNION SELECT name FROM registered_model_tags t WHERE t.key = '_mlflow_experiment_ids'
				AND EXISTS (SELECT 1 FROM keep_experiments k WHERE t.value LIKE '%,' || k.id || ',%');
		DELETE FROM model_version_tags WHERE name NOT IN (SELECT name FROM keep_models);
		DELETE FROM model_versions WHERE name NOT IN (SELECT name FROM keep_models);
		DELETE FROM registered_model_aliases WHERE name NOT IN (SELECT name FROM keep_models);
		DELETE FROM registered_model_tags WHERE name NOT IN (SELECT name FROM keep_models);
		DELETE FROM registered_models WHERE name NOT IN (SELECT name FROM keep_models);
		DROP TABLE gone_runs; DROP TABLE gone_models; DROP TABLE keep_models; DROP TABLE keep_experiments; DROP TABLE keep_runs;
	`);
}

/** Import history names local files and paths: not for sharing. */
export function forgetSources(db: Database): void {
	db.exec('DELETE FROM provenance; DELETE FROM sources;');
}
