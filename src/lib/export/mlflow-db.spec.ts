/** The exported mlflow.db has MLflow's own schema at the revision it states. */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import type { Database } from 'sql.js';
import { FIXTURES, importFixture, sqlJs } from '../testing/fixtures';
import { exportFile } from '.';
import { MLFLOW_DB_REVISION } from './mlflow-db';

function shape(db: Database): Record<string, string[]> {
	const tables = db.exec("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")[0].values.flat() as string[];
	return Object.fromEntries(
		tables.map((t) => [
			t,
			db.exec(`PRAGMA table_info("${t}")`)[0].values.map((c) => `${c[1]} ${String(c[2]).toUpperCase()} ${c[3] ? 'NOT NULL' : ''} pk${c[5]}`)
		])
	);
}

describe('mlflow.db export', () => {
	it(`matches MLflow's schema at revision ${MLFLOW_DB_REVISION} (../shared/fixtures/real/schemas), table by table and column by column`, async () => {
		const SQL = await sqlJs();
		const reference = new SQL.Database();
		reference.exec(readFileSync(`${FIXTURES}schemas/${MLFLOW_DB_REVISION}.sql`, 'utf8'));
		const { store } = await importFixture('PatrickCmd__mlops-zoomcamp.zip');
		const exported = new SQL.Database(
			exportFile(SQL, store, { experimentIds: store.queries.experiments('all').map((e) => e.experiment_id) }, 'mlflow-db')
		);
		expect(shape(exported)).toEqual(shape(reference));
		const indexes = (db: Database) =>
			db.exec("SELECT name FROM sqlite_master WHERE type = 'index' AND name NOT LIKE 'sqlite_%' ORDER BY name")[0].values.flat();
		expect(indexes(exported)).toEqual(indexes(reference));
		expect(exported.exec('SELECT version_num FROM alembic_version')[0].values).toEqual([[MLFLOW_DB_REVISION]]);
		// Row per point, as MLflow stores metrics.
		const points = exported.exec('SELECT count(*) FROM metrics')[0].values[0][0];
		const series = store.queries
			.runs({ view: 'all' })
			.reduce((n, r) => n + Object.values(store.queries.metricHistories(r.info.run_id)).reduce((m, s) => m + s.values.length, 0), 0);
		expect(points).toBe(series);
	});
});
