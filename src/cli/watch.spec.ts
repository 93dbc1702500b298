/**
 * A watched folder: each sync imports only what changed (a new run, lines appended to a metric,
 * a changed meta), whole run folders with their experiment's meta, into the same store; a sync with
 * nothing changed reads nothing. Also through `trackside import --watch`.
 */
import { describe, expect, it } from 'vitest';
import { appendFileSync, mkdirSync, mkdtempSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileStore } from '../lib/testing/mlflow-stores';
import { changedTree } from '../lib/sources/changed';
import { treeFromMap } from '../lib/sources/tree';
import { Workspace } from '../lib/workspace/workspace';
import { MemoryPersistence } from '../lib/workspace/persistence';
import { sqlJs } from '../lib/testing/fixtures';
import { FolderWatcher } from './watch';
import { cli } from '../lib/testing/cli';

const hex = (n: number) => n.toString(16).padStart(32, '0');

function writeStore(dir: string, runs: number[]): string {
	const files = fileStore([
		{ id: '1', name: 'live', runs: runs.map((n) => ({ id: hex(n), name: `run-${n}`, metrics: { loss: ['1000 1.0 0', '2000 0.9 1'] } })) }
	]);
	for (const [path, bytes] of files) {
		mkdirSync(dirname(join(dir, path)), { recursive: true });
		writeFileSync(join(dir, path), bytes);
	}
	return join(dir, 'mlruns');
}

describe('changedTree', () => {
	const tree = (stamps: Record<string, number>) => ({
		name: 'mlruns',
		files: Object.entries(stamps).map(([path, modified], order) => ({
			path,
			size: 1,
			modified,
			order,
			bytes: async () => new Uint8Array()
		}))
	});
	const base = {
		'mlruns/1/meta.yaml': 1,
		'mlruns/1/tags/team': 1,
		[`mlruns/1/${hex(1)}/meta.yaml`]: 1,
		[`mlruns/1/${hex(1)}/metrics/loss`]: 1,
		[`mlruns/1/${hex(2)}/meta.yaml`]: 1,
		[`mlruns/1/${hex(2)}/metrics/loss`]: 1,
		'mlruns/1/traces/tr-1/trace_info.yaml': 1,
		'mlruns/2/meta.yaml': 1,
		'mlruns/models/m/meta.yaml': 1
	};

	it.each([
		[{}, null],
		[
			{ [`mlruns/1/${hex(2)}/metrics/loss`]: 2 },
			['mlruns/1/meta.yaml', 'mlruns/1/tags/team', `mlruns/1/${hex(2)}/meta.yaml`, `mlruns/1/${hex(2)}/metrics/loss`]
		],
		[{ 'mlruns/1/traces/tr-1/trace_info.yaml': 2 }, ['mlruns/1/meta.yaml', 'mlruns/1/tags/team', 'mlruns/1/traces/tr-1/trace_info.yaml']],
		[{ 'mlruns/models/m/meta.yaml': 2 }, ['mlruns/models/m/meta.yaml']],
		[{ 'mlruns/2/meta.yaml': 2 }, ['mlruns/2/meta.yaml']]
	])('after %j, a sync reads %j', (changes, want) => {
		const first = changedTree(tree(base), new Map());
		expect(first.tree?.files).toHaveLength(Object.keys(base).length);
		const next = changedTree(tree({ ...base, ...changes }), first.stamps);
		expect(next.tree?.files.map((f) => f.path) ?? null).toEqual(want);
	});

	it('reads a new file of a run whose folder it is, and not the other runs', () => {
		const first = changedTree(tree(base), new Map());
		const next = changedTree(tree({ ...base, [`mlruns/1/${hex(1)}/params/lr`]: 5 }), first.stamps);
		expect(next.changed).toBe(1);
		expect(next.tree!.files.every((f) => !f.path.includes(hex(2)))).toBe(true);
	});

	it('a tree without stamps (not from disk) reads everything once, then nothing', () => {
		const t = treeFromMap('x', new Map([['a', new Uint8Array(2)]]));
		const first = changedTree(t, new Map());
		expect(changedTree(t, first.stamps).tree).toBeNull();
	});
});

describe('FolderWatcher', () => {
	it('imports a new run and appended points at the next sync, and nothing when nothing changed', async () => {
		const dir = mkdtempSync(join(tmpdir(), 'trackside-watch-'));
		const root = writeStore(dir, [1]);
		const ws = await Workspace.open(await sqlJs(), new MemoryPersistence());
		const watcher = new FolderWatcher(root, ws);
		expect((await watcher.sync())?.report.imported.runs).toBe(1);
		expect(await watcher.sync()).toBeNull();
		// rsync brings a new run and two more points of the first.
		writeStore(dir, [1, 2]);
		const loss = join(root, '1', hex(1), 'metrics', 'loss');
		appendFileSync(loss, '3000 0.8 2\n4000 0.7 3\n');
		utimesSync(loss, new Date(), new Date(Date.now() + 5000));
		const third = (await watcher.sync())!;
		expect(third.report.imported.runs).toBe(2);
		expect(ws.queries.counts().runs).toBe(2);
		expect(Array.from(ws.queries.metricHistory(hex(1), 'loss')!.values)).toEqual([1.0, 0.9, 0.8, 0.7]);
		expect(Array.from(ws.queries.metricHistory(hex(2), 'loss')!.values)).toEqual([1.0, 0.9]);
		expect(await watcher.sync()).toBeNull();
	});
});

describe('trackside import --watch', () => {
	it('imports, then syncs each interval into the store file, saying what each sync brought', async () => {
		const dir = mkdtempSync(join(tmpdir(), 'trackside-watch-'));
		const root = writeStore(dir, [1]);
		const db = join(dir, 'store.sqlite');
		const r = await cli('import', root, '--db', db, '--watch', '--interval', '0.05', '--syncs', '2');
		expect(r.code, r.stderr).toBe(0);
		const lines = r.stderr.trim().split('\n');
		expect(lines[0]).toMatch(/^synced \d\d:\d\d:\d\d: \d+ changed file\(s\); 1 experiments, 1 runs, 2 metric points/);
		expect(lines[1]).toMatch(/^synced \d\d:\d\d:\d\d: nothing changed$/);
		expect((await cli('runs', db, '--json')).json().runs).toHaveLength(1);
		const bad = await cli('import', root, '--db', db, '--watch', '--interval', '0');
		expect(bad.code).toBe(1);
		expect(bad.stderr).toContain('--interval must be a number of seconds');
	});
});

describe('a watched mlflow.db', () => {
	it('is read again whole when the file changed, and not when it did not', async () => {
		const { initialSqliteStore } = await import('../lib/testing/mlflow-stores');
		const dir = mkdtempSync(join(tmpdir(), 'trackside-watch-'));
		const db = join(dir, 'mlflow.db');
		const SQL = await sqlJs();
		writeFileSync(
			db,
			initialSqliteStore(
				SQL,
				[{ id: 0, name: 'Default' }],
				[{ id: hex(1), experimentId: 0, user: 'me', metrics: [['loss', 0.5, 1000, 0]] }]
			)
		);
		const ws = await Workspace.open(await sqlJs(), new MemoryPersistence());
		const watcher = new FolderWatcher(db, ws);
		expect(await watcher.sync()).not.toBeNull();
		expect(await watcher.sync()).toBeNull();
		utimesSync(db, new Date(), new Date(Date.now() + 10_000));
		const again = await watcher.sync();
		expect(again?.changed).toBe(1);
		// The same data read again adds nothing (MLflow's rows merge).
		expect(again?.report.imported.metricPoints).toBe(0);
	});
});
