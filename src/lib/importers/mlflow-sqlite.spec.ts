/**
 * Every MLflow SQL schema revision in ../shared/fixtures/real/schemas, built empty with sql.js,
 * given one experiment, run, param, tag and metric history, then imported. Plus a revision newer
 * than any this code knows.
 */
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { Store } from '../db/store';
import { memoryReader } from '../sources/tree';
import { importTree, openFile } from '.';
import { FIXTURES, sqlJs } from '../testing/fixtures';
import { KNOWN_REVISIONS } from './mlflow-sqlite';

const SCHEMAS = FIXTURES + 'schemas/';
const RUN = '0123456789abcdef0123456789abcdef';

async function mlflowDb(schemaSql: string, revision: string, extra = ''): Promise<Uint8Array> {
	const db = new (await sqlJs()).Database();
	// The dumps list objects in sqlite_master order, triggers before their tables: create tables first.
	const triggers = schemaSql.match(/CREATE TRIGGER[\s\S]*?\bEND;?/g) ?? [];
	db.run(triggers.reduce((sql, t) => sql.replace(t, ''), schemaSql));
	for (const t of triggers) db.run(t);
	db.run(`
		INSERT INTO alembic_version (version_num) VALUES ('${revision}');
		INSERT INTO experiments (experiment_id, name, artifact_location, lifecycle_stage) VALUES (7, 'sql-exp', './mlruns/7', 'active');
		INSERT INTO runs (run_uuid, name, source_type, source_name, entry_point_name, user_id, status, start_time, end_time,
			source_version, lifecycle_stage, artifact_uri, experiment_id)
			VALUES ('${RUN}', 'sql-run', 'LOCAL', 'train.py', '', 'ana', 'FINISHED', 1000, 2000, '', 'active', './a', 7);
		INSERT INTO params (key, value, run_uuid) VALUES ('lr', '0.1', '${RUN}');
		INSERT INTO tags (key, value, run_uuid) VALUES ('mlflow.runName', 'sql-run', '${RUN}');
		INSERT INTO metrics (key, value, timestamp, run_uuid, step, is_nan) VALUES
			('loss', 0.9, 1001, '${RUN}', 0, 0), ('loss', 0.5, 1002, '${RUN}', 1, 0),
			('loss', 0, 1003, '${RUN}', 2, 1), ('loss', 1.7976931348623157e308, 1004, '${RUN}', 3, 0);
		INSERT INTO latest_metrics (key, value, timestamp, step, is_nan, run_uuid) VALUES ('loss', 1.7976931348623157e308, 1004, 3, 0, '${RUN}');
		${extra}`);
	return db.export();
}

async function importDb(bytes: Uint8Array) {
	const store = Store.open(await sqlJs());
	const report = await importTree(await sqlJs(), store, await openFile('mlflow.db', memoryReader(bytes)));
	return { store, report };
}

const revisions = readdirSync(SCHEMAS)
	.filter((f) => f.endsWith('.sql'))
	.map((f) => f.replace('.sql', ''));

describe('mlflow.db schema revisions', () => {
	it('covers every revision in the shared schemas folder', () => {
		expect(Object.keys(KNOWN_REVISIONS)).toEqual(expect.arrayContaining(revisions));
	});

	it.each(revisions)('revision %s imports its core tables', async (revision) => {
		const { store, report } = await importDb(await mlflowDb(readFileSync(SCHEMAS + `${revision}.sql`, 'utf8'), revision));
		expect(report.found[0]).toContain(`alembic revision ${revision}`);
		expect(report.notes).toEqual([]);
		const run = store.queries.run(RUN)!;
		expect(run.info).toMatchObject({ run_name: 'sql-run', experiment_id: '7', status: 'FINISHED', user_id: 'ana' });
		expect(run.data.params).toEqual([{ key: 'lr', value: '0.1' }]);
		// is_nan rows are NaN, DBL_MAX is +Infinity, as MLflow's SQL store encodes them.
		expect(Array.from(store.queries.metricHistory(RUN, 'loss')!.values)).toEqual([0.9, 0.5, NaN, Infinity]);
		expect(run.data.metrics).toEqual([{ key: 'loss', value: 'Infinity', timestamp: 1004, step: 3 }]);
	});

	it('a revision newer than any known imports its core tables and reports the rest', async () => {
		const schema = readFileSync(SCHEMAS + '7d34483879f0.sql', 'utf8');
		const { store, report } = await importDb(
			await mlflowDb(schema, 'ffffffffffff', "CREATE TABLE hologram_runs (id TEXT); INSERT INTO hologram_runs VALUES ('x'), ('y');")
		);
		expect(report.notes.join('\n')).toContain('schema revision ffffffffffff is not one Trackside knows');
		expect(report.skipped).toContainEqual({
			path: 'mlflow.db#hologram_runs',
			reason: expect.stringContaining('2 row(s) of table hologram_runs')
		});
		expect(store.queries.run(RUN)!.info.run_name).toBe('sql-run');
	});
});
