/**
 * runs/search's JSON is built by SQLite (run-queries.ts runsJson): every value must come back as
 * stored. Generated edge cases: doubles that need 17 digits, NaN and ±Infinity, the largest and
 * smallest doubles, 18-digit steps and timestamps, null values, keys and values that need escaping,
 * runs with nothing, and key order.
 */
import { describe, expect, it } from 'vitest';
import { Store } from './store';
import { sqlJs } from '../testing/fixtures';

describe('runs as JSON text', () => {
	it('carries every stored value exactly, in MLflow JSON shapes', async () => {
		const store = Store.open(await sqlJs());
		const db = store.db;
		db.run("INSERT INTO experiments (experiment_id, name, lifecycle_stage) VALUES ('1', 'e', 'active')");
		const run = (id: string, name: string | null) =>
			db.run(
				"INSERT INTO runs (run_uuid, name, status, start_time, lifecycle_stage, experiment_id, user_id) VALUES (?, ?, 'FINISHED', 5, 'active', '1', NULL)",
				[id, name]
			);
		run('a'.repeat(32), 'with "quotes" \\ and \u2028 newline\n');
		run('b'.repeat(32), null);
		const values: [string, number | null, number, number, number][] = [
			['z', 0.1 + 0.2, 1, 2, 0],
			['a third', 1 / 3, 1152921504606846976, 18014398509481984, 0],
			['nan', null, 0, 0, 1],
			['inf', Infinity, 0, 0, 0],
			['-inf', -Infinity, 0, 0, 0],
			['max', Number.MAX_VALUE, 0, 0, 0],
			['tiny', 5e-324, 0, 0, 0],
			['neg zero', -0, 0, 0, 0],
			['int', 3, 0, -7, 0]
		];
		for (const [key, value, timestamp, step, isNan] of values) {
			db.run('INSERT INTO latest_metrics (run_uuid, key, value, timestamp, step, is_nan) VALUES (?, ?, ?, ?, ?, ?)', [
				'a'.repeat(32),
				key,
				value,
				timestamp,
				step,
				isNan
			]);
		}
		db.run("INSERT INTO params (run_uuid, key, value) VALUES (?, 'lr', '0.10'), (?, 'b', '')", ['a'.repeat(32), 'a'.repeat(32)]);
		db.run("INSERT INTO tags (run_uuid, key, value) VALUES (?, 'mlflow.note', NULL), (?, ?, ?)", [
			'a'.repeat(32),
			'a'.repeat(32),
			'k"\\',
			'v\n'
		]);
		const [a, b] = store.queries.runs({ view: 'all', orderBy: ['attributes.run_id ASC'] });
		expect(a.info).toEqual({
			run_id: 'a'.repeat(32),
			run_uuid: 'a'.repeat(32),
			run_name: 'with "quotes" \\ and \u2028 newline\n',
			experiment_id: '1',
			status: 'FINISHED',
			start_time: 5,
			lifecycle_stage: 'active'
		});
		expect(a.data.metrics).toEqual([
			{ key: '-inf', value: '-Infinity', timestamp: 0, step: 0 },
			{ key: 'a third', value: 1 / 3, timestamp: 1152921504606846976, step: 18014398509481984 },
			{ key: 'inf', value: 'Infinity', timestamp: 0, step: 0 },
			{ key: 'int', value: 3, timestamp: 0, step: -7 },
			{ key: 'max', value: Number.MAX_VALUE, timestamp: 0, step: 0 },
			{ key: 'nan', value: 'NaN', timestamp: 0, step: 0 },
			{ key: 'neg zero', value: 0, timestamp: 0, step: 0 },
			{ key: 'tiny', value: 5e-324, timestamp: 0, step: 0 },
			{ key: 'z', value: 0.1 + 0.2, timestamp: 1, step: 2 }
		]);
		expect(a.data.params).toEqual([
			{ key: 'b', value: '' },
			{ key: 'lr', value: '0.10' }
		]);
		expect(a.data.tags).toEqual([
			{ key: 'k"\\', value: 'v\n' },
			{ key: 'mlflow.note', value: '' }
		]);
		// A run with no name, metrics, params or tags: the fields are left out, as MLflow's JSON does.
		expect(b).toEqual({
			info: {
				run_id: 'b'.repeat(32),
				run_uuid: 'b'.repeat(32),
				experiment_id: '1',
				status: 'FINISHED',
				start_time: 5,
				lifecycle_stage: 'active'
			},
			data: {}
		});
		expect(store.queries.runs({ view: 'all', limit: 1, orderBy: ['attributes.run_id DESC'] }).map((r) => r.info.run_id)).toEqual([
			'b'.repeat(32)
		]);
	});
});
