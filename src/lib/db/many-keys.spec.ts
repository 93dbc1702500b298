/**
 * Stores with thousands of metric keys per run (RL and LLM workloads log 1,000-3,000): every read
 * that a comparison makes holds 100,000s of rows, none of which may be spread into a call.
 */
import { describe, expect, it } from 'vitest';
import { Store } from './store';
import { sqlJs } from '../testing/fixtures';

describe('50 runs x 2,500 metric keys', () => {
	it('reads every run and every series summary (125,000 rows) without overflowing the stack', async () => {
		const store = Store.open(await sqlJs());
		const db = store.db;
		db.run("INSERT INTO experiments (experiment_id, name, lifecycle_stage) VALUES ('1', 'rl', 'active')");
		const run = db.prepare(
			"INSERT INTO runs (run_uuid, name, status, start_time, lifecycle_stage, experiment_id) VALUES (?, ?, 'FINISHED', 0, 'active', '1')"
		);
		const series = db.prepare(
			"INSERT INTO metric_series (run_uuid, key, point_count, min_value, max_value, points, latest_only) VALUES (?, ?, 1, 0, 1, x'', 0)"
		);
		const ids: string[] = [];
		db.run('BEGIN');
		for (let r = 0; r < 50; r++) {
			const id = r.toString(16).padStart(32, '0');
			ids.push(id);
			run.run([id, `run-${r}`]);
			for (let k = 0; k < 2500; k++) series.run([id, `env/agent_${k}/reward`]);
		}
		db.run('COMMIT');
		run.free();
		series.free();
		expect(store.queries.metricSummaries(ids)).toHaveLength(125_000);
		expect(store.queries.runRows({ runIds: ids })).toHaveLength(50);
	});
});

describe('40,000 runs', () => {
	it('are read by id in one query: more ids than SQLite takes bound parameters (32,766), none spread into a call', async () => {
		const store = Store.open(await sqlJs());
		const db = store.db;
		db.run("INSERT INTO experiments (experiment_id, name, lifecycle_stage) VALUES ('1', 'wide', 'active')");
		const run = db.prepare(
			"INSERT INTO runs (run_uuid, name, status, start_time, lifecycle_stage, experiment_id) VALUES (?, ?, 'FINISHED', ?, 'active', '1')"
		);
		const ids: string[] = [];
		db.run('BEGIN');
		for (let r = 0; r < 40_000; r++) {
			const id = r.toString(16).padStart(32, '0');
			ids.push(id);
			run.run([id, `run-${r}`, r]);
		}
		db.run('COMMIT');
		run.free();
		const read = store.queries.runs({ runIds: ids, view: 'all' });
		expect(read).toHaveLength(40_000);
		expect(new Set(read.map((r) => r.info.run_id))).toEqual(new Set(ids));
		expect(store.queries.searchRunIds({ runIds: ids.slice(0, 3), view: 'all' })).toEqual(ids.slice(0, 3).reverse());
	});
});
