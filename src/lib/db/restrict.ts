/**
 * Cuts a copy of a store down to some experiments, for a snapshot: their runs, logged models and
 * datasets, the registry entries of those runs, and nothing about where data came from (import
 * reports name local files). Run on a copy, never on the user's store.
 */
import type { Database } from 'sql.js';

export function restrictToExperiments(db: Database, experimentIds: string[]): void {
	db.exec('CREATE TEMP TABLE keep_experiments (id TEXT PRIMARY KEY)');
	const st = db.prepare('INSERT OR IGNORE INTO keep_experiments VALUES (?)');
	for (const id of experimentIds) st.run([id]);
	st.free();
	db.exec(`
		CREATE TEMP TABLE gone_runs AS SELECT run_uuid FROM runs WHERE experiment_id NOT IN (SELECT id FROM keep_experiments);
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
		DELETE FROM experiment_tags WHERE experiment_id NOT IN (SELECT id FROM keep_experiments);
		DELETE FROM experiments WHERE experiment_id NOT IN (SELECT id FROM keep_experiments);
		-- The registry: models with a version from a kept run, with all their versions.
		CREATE TEMP TABLE keep_models AS SELECT DISTINCT name FROM model_versions WHERE run_id IN (SELECT run_uuid FROM runs);
		DELETE FROM model_version_tags WHERE name NOT IN (SELECT name FROM keep_models);
		DELETE FROM model_versions WHERE name NOT IN (SELECT name FROM keep_models);
		DELETE FROM registered_model_aliases WHERE name NOT IN (SELECT name FROM keep_models);
		DELETE FROM registered_model_tags WHERE name NOT IN (SELECT name FROM keep_models);
		DELETE FROM registered_models WHERE name NOT IN (SELECT name FROM keep_models);
		DROP TABLE gone_runs; DROP TABLE gone_models; DROP TABLE keep_models; DROP TABLE keep_experiments;
	`);
}

/** Import history names local files and paths: not for sharing. */
export function forgetSources(db: Database): void {
	db.exec('DELETE FROM provenance; DELETE FROM sources;');
}
