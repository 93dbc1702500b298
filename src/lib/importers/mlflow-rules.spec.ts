/**
 * Reading stores as MLflow does, on generated stores (testing/mlflow-stores.ts): which copy of an
 * experiment id wins, deleted model versions, the initial SQL schema, unrelated stores that share
 * ids, and a report that tells the whole truth.
 */
import { describe, expect, it } from 'vitest';
import { Store } from '../db/store';
import { importTree } from '.';
import { treeFromMap } from '../sources/tree';
import { sqlJs } from '../testing/fixtures';
import { fileStore, initialSqliteStore } from '../testing/mlflow-stores';
import { exportFile } from '../export';

const hex = (n: number) => n.toString(16).padStart(32, '0');
const runIds = (store: Store, experimentId: string) =>
	store.queries
		.runs({ experimentIds: [experimentId], view: 'all' })
		.map((r) => r.info.run_id)
		.sort();

async function fresh() {
	const SQL = await sqlJs();
	return { SQL, store: Store.open(SQL) };
}

describe('an experiment id in mlruns/<id> and in mlruns/.trash/<id>', () => {
	it('is the root folder, as MLflow resolves it; the trashed copy is kept apart as a deleted experiment', async () => {
		const { SQL, store } = await fresh();
		const files = fileStore([
			{ id: '0', name: 'Default' },
			{ id: '3', name: 'alice-sweep', runs: [{ id: hex(1) }, { id: hex(2) }] },
			{ id: '3', name: 'bob-old', trashed: true, runs: [{ id: hex(3) }] }
		]);
		// Whatever order the archive lists them in.
		for (const order of [files, new Map([...files].reverse())]) {
			const { store } = await fresh();
			const report = await importTree(SQL, store, treeFromMap('merged.zip', order));
			const e3 = store.queries.experiment('3')!;
			expect(e3).toMatchObject({ name: 'alice-sweep', lifecycle_stage: 'active' });
			expect(runIds(store, '3')).toEqual([hex(1), hex(2)]);
			expect(store.queries.experiment('3-2')).toMatchObject({ name: 'bob-old', lifecycle_stage: 'deleted' });
			expect(runIds(store, '3-2')).toEqual([hex(3)]);
			expect(report.notes.join('\n')).toMatch(/mlruns\/\.trash\/3\/ has the id of mlruns\/3\/.*imported as deleted experiment 3-2/);
			expect(report.imported.experiments).toBe(3);
		}
		expect(store.queries.experiments('all')).toHaveLength(0);
	});
});

describe('model versions MLflow deleted (current_stage Deleted_Internal)', () => {
	it('are not imported from a FileStore, and the report says which', async () => {
		const { SQL, store } = await fresh();
		const files = fileStore(
			[{ id: '1', name: 'e', runs: [{ id: hex(1) }] }],
			[
				{
					name: 'clf',
					versions: [
						{ version: 1, stage: 'Deleted_Internal', runId: hex(1) },
						{ version: 2, stage: 'Production', runId: hex(1) },
						{ version: 3, stage: 'Deleted_Internal' }
					]
				}
			]
		);
		const report = await importTree(SQL, store, treeFromMap('mlruns.zip', files));
		expect(store.queries.modelVersions({ name: 'clf' }).map((v) => v.version)).toEqual(['2']);
		expect(report.imported.modelVersions).toBe(1);
		expect(report.skipped.filter((s) => /Deleted_Internal/.test(s.reason))).toHaveLength(2);
	});

	it('are not imported from an SQL store', async () => {
		const { SQL, store } = await fresh();
		const source = Store.open(SQL);
		await importTree(
			SQL,
			source,
			treeFromMap(
				'mlruns.zip',
				fileStore(
					[{ id: '1', name: 'e', runs: [{ id: hex(1) }] }],
					[{ name: 'clf', versions: [1, 2].map((v) => ({ version: v, stage: 'None', runId: hex(1) })) }]
				)
			)
		);
		const db = new SQL.Database(exportFile(SQL, source, { experimentIds: ['1'] }, 'mlflow-db'));
		db.run("UPDATE model_versions SET current_stage = 'Deleted_Internal' WHERE version = 1");
		const bytes = db.export();
		db.close();
		const report = await importTree(SQL, store, treeFromMap('mlflow.db', new Map([['mlflow.db', bytes]])));
		expect(store.queries.modelVersions({ name: 'clf' }).map((v) => v.version)).toEqual(['2']);
		expect(report.skipped.map((s) => s.reason)).toContain(
			'version 1 of model "clf" was deleted in MLflow (stage Deleted_Internal): not imported'
		);
	});
});

describe("MLflow's initial SQLite schema (0.9, before migrations)", () => {
	const runs = [
		{
			id: hex(1),
			experimentId: 0,
			user: 'ada',
			params: { lr: '0.1' },
			metrics: [
				['loss', 1, 100, 0],
				['loss', 0.5, 200, 0]
			] as [string, number, number, number][]
		},
		// A user tag already there wins over the user column, as in MLflow's migration.
		{ id: hex(2), experimentId: 1, user: 'bob', tags: { 'mlflow.user': 'robert' } },
		{ id: hex(3), experimentId: 1, user: null }
	];

	it('imports as `mlflow db upgrade` would bring it: steps 0, the user column copied into mlflow.user', async () => {
		const { SQL, store } = await fresh();
		const bytes = initialSqliteStore(
			SQL,
			[
				{ id: 0, name: 'Default' },
				{ id: 1, name: 'old' }
			],
			runs
		);
		const report = await importTree(SQL, store, treeFromMap('mlflow.db', new Map([['mlflow.db', bytes]])));
		expect(report.imported).toMatchObject({ experiments: 2, runs: 3, metricPoints: 2 });
		expect(report.notes.join('\n')).toContain('initial schema');
		const tag = (id: string) => store.queries.run(id)!.data.tags?.find((t) => t.key === 'mlflow.user')?.value;
		expect([tag(hex(1)), tag(hex(2)), tag(hex(3))]).toEqual(['ada', 'robert', undefined]);
		expect(store.queries.run(hex(1))!.data.metrics).toEqual([{ key: 'loss', value: 0.5, timestamp: 200, step: 0 }]);
		expect(Array.from(store.queries.metricHistory(hex(1), 'loss')!.steps)).toEqual([0, 0]);
	});

	it("takes the latest value by MLflow's rule where latest_metrics does not exist: highest step, then time, then value", async () => {
		const { SQL, store } = await fresh();
		const metrics: [string, number, number, number][] = [
			['acc', 0.9, 900, 2], // latest by time, not by step
			['acc', 0.5, 100, 3],
			['acc', 0.4, 50, 3],
			['f1', 0.2, 10, 5],
			['f1', 0.7, 11, 5],
			['f1', 0.1, 9, 5]
		];
		const bytes = initialSqliteStore(SQL, [{ id: 0, name: 'Default' }], [{ id: hex(9), experimentId: 0, user: 'x', metrics }], true);
		await importTree(SQL, store, treeFromMap('mlflow.db', new Map([['mlflow.db', bytes]])));
		const latest = Object.fromEntries(store.queries.run(hex(9))!.data.metrics!.map((m) => [m.key, [m.value, m.step, m.timestamp]]));
		expect(latest).toEqual({ acc: [0.5, 3, 100], f1: [0.7, 5, 11] });
		// Revision 451aebb31d03 still predates the user-tag migration.
		expect(store.queries.run(hex(9))!.data.tags?.find((t) => t.key === 'mlflow.user')?.value).toBe('x');
	});
});

describe('unrelated stores that share experiment ids', () => {
	const alice = fileStore([
		{ id: '0', name: 'Default', artifactLocation: 'file:///home/alice/mlruns/0', creationTime: 1 },
		{ id: '1', name: 'cnn', artifactLocation: 'file:///home/alice/mlruns/1', runs: [{ id: hex(1) }] }
	]);
	const bob = fileStore([
		{ id: '0', name: 'Default', artifactLocation: 'file:///home/bob/mlruns/0', creationTime: 2 },
		{ id: '1', name: 'cnn', artifactLocation: 'file:///home/bob/mlruns/1', creationTime: 5, runs: [{ id: hex(2) }] }
	]);

	it('stay apart (ids 0-2, 1-2) with a report line; importing one again merges with itself', async () => {
		const { SQL, store } = await fresh();
		await importTree(SQL, store, treeFromMap('alice.zip', alice));
		const second = await importTree(SQL, store, treeFromMap('bob.zip', bob));
		expect(second.notes.filter((n) => /is not the experiment already stored under that id/.test(n))).toHaveLength(2);
		const exps = store.queries.experiments('all').map((e) => [e.experiment_id, e.name, e.creation_time]);
		expect(exps.sort()).toEqual([
			['0', 'Default', 1],
			['0-2', 'Default', 2],
			['1', 'cnn', 1_700_000_000_000],
			['1-2', 'cnn', 5]
		]);
		expect(runIds(store, '1')).toEqual([hex(1)]);
		expect(runIds(store, '1-2')).toEqual([hex(2)]);
		// The same stores again, in either order: nothing new.
		const again = await importTree(SQL, store, treeFromMap('alice.zip', alice));
		await importTree(SQL, store, treeFromMap('bob.zip', bob));
		expect(again.notes.filter((n) => /not the experiment already stored/.test(n))).toEqual([]);
		expect(store.queries.experiments('all')).toHaveLength(4);
	});
});

describe('import reports tell the whole truth', () => {
	it('names spanless traces, empty metric files, collapsed duplicate lines, and a run found in two experiments; counts are what is stored', async () => {
		const { SQL, store } = await fresh();
		const files = fileStore([
			{
				id: '1',
				name: 'e',
				traces: ['tr-1', 'tr-2'],
				runs: [
					{
						id: hex(1),
						end: 2000,
						metrics: {
							// Six lines, three of them repeated exactly: three points.
							loss: ['1 0.5 0', '1 0.5 0', '2 0.4 1', '2 0.4 1', '3 0.3 2', '3 0.3 2'],
							empty: []
						}
					}
				]
			},
			{ id: '2', name: 'f', runs: [{ id: hex(1), end: 1000, metrics: { acc: ['1 0.9 0'] } }] }
		]);
		const report = await importTree(SQL, store, treeFromMap('x.zip', files));
		expect(report.imported.metricPoints).toBe(4);
		expect(store.queries.metricKeys(hex(1)).map((k) => [k.key, k.point_count])).toEqual([
			['acc', 1],
			['loss', 3]
		]);
		expect(report.imported.runs).toBe(1);
		expect(report.imported.experiments).toBe(2);
		const skipped = report.skipped.map((s) => `${s.path}: ${s.reason}`).join('\n');
		// The traces are imported; that their spans are missing is said.
		expect(report.imported.traces).toBe(2);
		expect(report.notes.join('\n')).toMatch(/2 trace\(s\) have no spans in this input \(tr-1, tr-2\)/);
		expect(skipped).toMatch(/metrics\/empty: metric "empty" of run 0+1 has an empty file \(0 bytes\)/);
		const notes = report.notes.join('\n');
		expect(notes).toContain('3 metric point(s) repeated an identical point');
		expect(notes).toMatch(/Run 0+1 was found in two experiments \(1 and 2\): one run, kept in experiment 1/);
	});
});
