import { describe, expect, it } from 'vitest';
import { sqlJs } from '../testing/fixtures';
import { MIGRATIONS, SCHEMA_VERSION } from './schema';
import { Store, StoreVersionError } from './store';

describe('store migrations', () => {
	it('brings a schema 1 store (saved by the first release) to the current schema, keeping its data', async () => {
		const SQL = await sqlJs();
		const old = new SQL.Database();
		old.run(MIGRATIONS[0]);
		old.run('PRAGMA user_version = 1');
		old.run("INSERT INTO experiments (experiment_id, name) VALUES ('1', 'kept')");
		old.run("INSERT INTO runs (run_uuid, experiment_id, start_time) VALUES ('r1', '1', 5)");
		const store = Store.open(SQL, old.export());
		expect(store.db.exec('PRAGMA user_version')[0].values[0][0]).toBe(SCHEMA_VERSION);
		const columns = store.db.exec("SELECT name FROM pragma_index_info('runs_by_experiment')")[0].values.flat();
		expect(columns).toEqual(['experiment_id', 'lifecycle_stage', 'start_time', 'run_uuid']);
		expect(store.queries.searchRunIds({ experimentIds: ['1'] })).toEqual(['r1']);
	});

	it('refuses a store written by a newer Trackside', async () => {
		const SQL = await sqlJs();
		const future = new SQL.Database();
		future.run(`PRAGMA user_version = ${SCHEMA_VERSION + 1}`);
		expect(() => Store.open(SQL, future.export())).toThrow(StoreVersionError);
	});
});
