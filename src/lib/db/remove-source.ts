/**
 * Removing an imported source with what only it brought: the runs, experiments, registered
 * models, versions, logged models and traces that no other source brought (schema 4's provenance).
 * An entity another source also brought stays, as does anything recorded locally, and an
 * experiment that still holds runs. Runs in `Store.edit`'s transaction, so it is whole or nothing.
 */
import type { Database, SqlValue } from 'sql.js';

export interface RemovedCounts {
	experiments: number;
	runs: number;
	registeredModels: number;
	modelVersions: number;
	loggedModels: number;
}

function column(db: Database, sql: string, params: SqlValue[]): string[] {
	const r = db.exec(sql, params)[0];
	return r ? r.values.map((v) => String(v[0])) : [];
}

/** Keys of one kind that this source alone brought. */
function onlyFrom(db: Database, sourceId: number, kind: string): string[] {
	return column(
		db,
		`SELECT key FROM provenance p WHERE source_id = ? AND kind = ?
		AND NOT EXISTS (SELECT 1 FROM provenance q WHERE q.kind = p.kind AND q.key = p.key AND q.source_id <> p.source_id)`,
		[sourceId, kind]
	);
}

/** Runs a statement once per key, for `?` in it. */
function each(db: Database, sql: string, keys: SqlValue[][]): void {
	if (keys.length === 0) return;
	const st = db.prepare(sql);
	try {
		for (const k of keys) st.run(k);
	} finally {
		st.free();
	}
}

export function removeSource(db: Database, sourceId: number): RemovedCounts {
	const runs = onlyFrom(db, sourceId, 'run').map((r) => [r]);
	for (const sql of [
		'DELETE FROM params WHERE run_uuid = ?',
		'DELETE FROM tags WHERE run_uuid = ?',
		'DELETE FROM latest_metrics WHERE run_uuid = ?',
		'DELETE FROM metric_series WHERE run_uuid = ?',
		'DELETE FROM input_tags WHERE input_uuid IN (SELECT input_uuid FROM inputs WHERE destination_id = ?1 OR source_id = ?1)',
		'DELETE FROM inputs WHERE destination_id = ?1 OR source_id = ?1',
		'DELETE FROM artifacts WHERE owner_id = ?',
		'DELETE FROM runs WHERE run_uuid = ?'
	]) {
		each(db, sql, runs);
	}
	const logged = onlyFrom(db, sourceId, 'logged_model').map((m) => [m]);
	for (const sql of [
		'DELETE FROM logged_model_params WHERE model_id = ?',
		'DELETE FROM logged_model_tags WHERE model_id = ?',
		'DELETE FROM logged_model_metrics WHERE model_id = ?',
		'DELETE FROM artifacts WHERE owner_id = ?',
		'DELETE FROM logged_models WHERE model_id = ?'
	]) {
		each(db, sql, logged);
	}
	const versions = onlyFrom(db, sourceId, 'version')
		.map((k) => k.split('\u0000'))
		.map(([name, v]) => [name, Number(v)]);
	for (const sql of [
		'DELETE FROM model_version_tags WHERE name = ? AND version = ?',
		'DELETE FROM registered_model_aliases WHERE name = ? AND version = ?',
		'DELETE FROM model_versions WHERE name = ? AND version = ?'
	]) {
		each(db, sql, versions);
	}
	// A model goes only with no versions left (another source's version keeps it).
	const models = onlyFrom(db, sourceId, 'model').filter(
		(name) => column(db, 'SELECT 1 FROM model_versions WHERE name = ?', [name]).length === 0
	);
	for (const sql of [
		'DELETE FROM registered_model_tags WHERE name = ?',
		'DELETE FROM registered_model_aliases WHERE name = ?',
		'DELETE FROM registered_models WHERE name = ?'
	]) {
		each(
			db,
			sql,
			models.map((m) => [m])
		);
	}
	const traces = onlyFrom(db, sourceId, 'trace').map((t) => [t]);
	for (const sql of [
		'DELETE FROM trace_tags WHERE trace_id = ?',
		'DELETE FROM trace_metadata WHERE trace_id = ?',
		'DELETE FROM spans WHERE trace_id = ?',
		'DELETE FROM span_chunks WHERE trace_id = ?',
		'DELETE FROM assessments WHERE trace_id = ?',
		"DELETE FROM entity_associations WHERE source_type = 'trace' AND source_id = ?",
		'DELETE FROM traces WHERE trace_id = ?'
	])
		each(db, sql, traces);
	const datasets = onlyFrom(db, sourceId, 'evaluation_dataset').map((d) => [d]);
	for (const sql of [
		'DELETE FROM evaluation_dataset_records WHERE dataset_id = ?',
		"DELETE FROM entity_associations WHERE source_type = 'evaluation_dataset' AND source_id = ?",
		'DELETE FROM evaluation_datasets WHERE dataset_id = ?'
	])
		each(db, sql, datasets);
	const scorers = onlyFrom(db, sourceId, 'scorer').map((d) => [d]);
	for (const sql of ['DELETE FROM scorer_versions WHERE scorer_id = ?', 'DELETE FROM scorers WHERE scorer_id = ?']) each(db, sql, scorers);
	// An experiment goes only when empty: runs recorded here or from another source keep it.
	const experiments = onlyFrom(db, sourceId, 'experiment').filter(
		(id) =>
			column(
				db,
				'SELECT 1 FROM runs WHERE experiment_id = ?1 UNION ALL SELECT 1 FROM logged_models WHERE experiment_id = ?1 UNION ALL SELECT 1 FROM traces WHERE experiment_id = ?1 LIMIT 1',
				[id]
			).length === 0
	);
	for (const sql of [
		'DELETE FROM experiment_tags WHERE experiment_id = ?',
		'DELETE FROM saved_views WHERE experiment_id = ?',
		'DELETE FROM datasets WHERE experiment_id = ?',
		'DELETE FROM experiments WHERE experiment_id = ?'
	]) {
		each(
			db,
			sql,
			experiments.map((e) => [e])
		);
	}
	db.run('DELETE FROM provenance WHERE source_id = ?', [sourceId]);
	db.run('DELETE FROM sources WHERE source_id = ?', [sourceId]);
	return {
		experiments: experiments.length,
		runs: runs.length,
		registeredModels: models.length,
		modelVersions: versions.length,
		loggedModels: logged.length
	};
}
