/**
 * The workspace's flows in Node, over MemoryPersistence (two handles on one MemoryDisk are two
 * tabs): what is saved after an import or an edit, rollback when saving fails, read-only refusal
 * while a snapshot is open, switching to a snapshot and back, and tabs catching up.
 */
import { describe, expect, it } from 'vitest';
import { Store } from '../db/store';
import { memoryReader, treeFromMap, type SourceTree } from '../sources/tree';
import { openPath } from '../../cli/node-sources';
import { FIXTURES, sqlJs } from '../testing/fixtures';
import { fileStore } from '../testing/mlflow-stores';
import { errorKind } from '../errors';
import { MemoryDisk, MemoryPersistence } from './persistence';
import { Workspace } from './workspace';

/** A fixture with artifacts: 4 runs. */
const WITH_ARTIFACTS = FIXTURES + 'Dan-Irl__mlflow-testing.zip';

async function open(disk = new MemoryDisk()) {
	const persistence = new MemoryPersistence(disk);
	return { ws: await Workspace.open(await sqlJs(), persistence), persistence, disk };
}

/** The store as the next session opens it: what was saved. */
async function saved(disk: MemoryDisk): Promise<Store> {
	return Store.open(await sqlJs(), disk.image?.bytes, disk.bulk?.bytes ?? null);
}

/** A small generated FileStore: one experiment with `runs` runs, each with one artifact. */
function small(name: string, runs: number): SourceTree {
	const ids = Array.from({ length: runs }, (_, i) => `${Buffer.from(name).toString('hex')}f${i}`.padEnd(32, '0'));
	const files = fileStore([{ id: '7', name, runs: ids.map((id) => ({ id, metrics: { loss: ['1 0.5 0'] }, params: { lr: '0.1' } })) }]);
	for (const id of ids) files.set(`mlruns/7/${id}/artifacts/notes.txt`, new TextEncoder().encode(id));
	return treeFromMap(name, files);
}

describe('Workspace', () => {
	it('an import is saved with its artifacts, and the next session opens it as it was', async () => {
		const { ws, disk } = await open();
		const report = await ws.importTree(await openPath(WITH_ARTIFACTS));
		expect(report.imported.runs).toBe(4);
		expect(disk.artifacts.size).toBe(report.imported.artifacts);
		expect(disk.image?.generation).toBe(1);
		const next = await open(disk);
		expect(next.ws.queries.counts().runs).toBe(4);
		const owner = next.ws.queries.runs({ view: 'all' }).find((r) => next.ws.queries.artifacts(r.info.run_id).length)!.info.run_id;
		for (const { path, size } of next.ws.queries.artifacts(owner)) expect((await next.ws.source.artifact(owner, path))?.size).toBe(size);
	});

	it.each(['all', 'image'] as const)(
		'a full disk (%s) during an import changes nothing: no runs, no artifacts, the saved image as it was',
		async (full) => {
			const { ws, disk } = await open();
			await ws.importTree(small('before', 2));
			const image = disk.image!.bytes;
			disk.full = full;
			const err = await ws.importTree(await openPath(WITH_ARTIFACTS)).catch((e) => e);
			expect(errorKind(err)).toBe('storage');
			expect(err.message).toMatch(/Not enough storage space for this import: nothing was changed/);
			expect(ws.queries.counts().runs).toBe(2);
			expect(disk.artifacts.size).toBe(2);
			expect(disk.image!.bytes).toEqual(image);
			disk.full = false;
			await ws.importTree(await openPath(WITH_ARTIFACTS));
			expect((await saved(disk)).queries.counts().runs).toBe(6);
			expect(disk.artifacts.size).toBeGreaterThan(2);
		}
	);

	it('several trees are one import: a failure in the last drops the ones before it', async () => {
		const { ws, disk } = await open();
		const bad = treeFromMap('bad.json', new Map([['bad.json', new TextEncoder().encode('{"runs": 3}')]]));
		const err = await ws.importTrees([small('one', 3), bad]).catch((e) => e);
		expect(err).toBeInstanceOf(Error);
		expect(ws.queries.counts().runs).toBe(0);
		expect(disk.image).toBeUndefined();
		const reports = await ws.importTrees([small('one', 3), small('two', 2)]);
		expect(reports.map((r) => r.imported.runs)).toEqual([3, 2]);
		expect(disk.image?.generation).toBe(1);
	});

	it('a second import while one runs is refused as busy; a cancel leaves nothing', async () => {
		const { ws } = await open();
		const first = ws.importTree(await openPath(WITH_ARTIFACTS));
		const second = await ws.importTree(small('two', 1)).catch((e) => e);
		expect(errorKind(second)).toBe('busy');
		ws.cancelImport();
		expect(errorKind(await first.catch((e) => e))).toBe('cancelled');
		expect(ws.queries.counts().runs).toBe(0);
	});

	it('an edit is saved; a refused edit throws its reason and changes nothing', async () => {
		const { ws, disk } = await open();
		await ws.importTree(small('e', 1));
		const [run] = ws.queries.runs({ view: 'all' });
		await ws.edit({ op: 'setRunName', runId: run.info.run_id, name: 'renamed' });
		expect(await ws.flush()).toBeNull();
		expect((await saved(disk)).queries.run(run.info.run_id)?.info.run_name).toBe('renamed');
		const err = await ws.edit({ op: 'createExperiment', name: 'e' }).catch((e) => e);
		expect(errorKind(err)).toBe('edit');
		expect(err.message).toMatch(/already exists/);
	});

	it('an edit whose save fails is kept, said, and saved with the next one once there is room', async () => {
		const { ws, disk } = await open();
		await ws.importTree(small('e', 1));
		const [run] = ws.queries.runs({ view: 'all' });
		disk.full = 'all';
		await ws.edit({ op: 'setParam', runId: run.info.run_id, key: 'a', value: '1' });
		expect(await ws.flush()).toMatch(/Not enough storage space to save your changes/);
		expect(ws.queries.run(run.info.run_id)?.data.params).toContainEqual({ key: 'a', value: '1' });
		disk.full = false;
		await ws.edit({ op: 'setParam', runId: run.info.run_id, key: 'b', value: '2' });
		expect(await ws.flush()).toBeNull();
		const params = (await saved(disk)).queries.run(run.info.run_id)?.data.params;
		expect(params).toContainEqual({ key: 'a', value: '1' });
		expect(params).toContainEqual({ key: 'b', value: '2' });
	});

	it('an open snapshot is shown in place of the store, refuses every write with one message, and closes back', async () => {
		const { ws, disk } = await open();
		await ws.importTree(small('mine', 2));
		const source = await Workspace.open(await sqlJs(), new MemoryPersistence());
		await source.importTree(await openPath(WITH_ARTIFACTS));
		const bytes = await source.makeSnapshot({}, 'all');
		const info = await ws.openSnapshot({ name: 'shared.trackside', reader: memoryReader(bytes) });
		expect(info.manifest.counts.runs).toBe(4);
		expect(ws.queries.counts().runs).toBe(4);
		const [run] = ws.queries.runs({ view: 'all' });
		const keys = ws.queries.metricKeys(run.info.run_id).map((k) => k.key);
		expect(Object.keys(await ws.source.histories(run.info.run_id)).sort()).toEqual(keys.sort());
		const image = disk.image!.bytes;
		const refusals = await Promise.all([
			ws.edit({ op: 'setRunName', runId: run.info.run_id, name: 'x' }).catch((e) => e),
			ws.importTree(small('more', 1)).catch((e) => e),
			ws.clear().catch((e) => e),
			ws.exportFile({}, 'mlruns').catch((e) => e),
			ws.makeSnapshot({}, 'none').catch((e) => e)
		]);
		for (const e of refusals) {
			expect(errorKind(e)).toBe('read-only');
			expect(e.message).toBe(
				'shared.trackside is a read-only snapshot: nothing in it can be changed. Copy it into your workspace to work on it.'
			);
		}
		expect(disk.image!.bytes).toEqual(image);
		ws.closeSnapshot();
		expect(ws.snapshotInfo()).toBeNull();
		expect(ws.queries.counts().runs).toBe(2);
		// Copied in: one import, and the snapshot is closed.
		await ws.openSnapshot({ name: 'shared.trackside', reader: memoryReader(bytes) });
		const report = await ws.copySnapshot();
		expect(report.imported.runs).toBe(4);
		expect((await saved(disk)).queries.counts().runs).toBe(6);
	});

	it('two tabs: a save in one is caught up by the other, whose unsaved edits are replayed over it', async () => {
		const disk = new MemoryDisk();
		const a = await open(disk);
		await a.ws.importTree(small('shared', 2));
		const b = await open(disk);
		let changed = 0;
		b.ws.onExternalChange(() => changed++);
		const [r1, r2] = a.ws.queries.runs({ view: 'all' }).map((r) => r.info.run_id);
		await a.ws.edit({ op: 'setRunName', runId: r1, name: 'from A' });
		await a.ws.flush();
		await b.persistence.exclusive(async () => {});
		expect(changed).toBe(1);
		expect(b.ws.queries.run(r1)?.info.run_name).toBe('from A');
		await b.ws.edit({ op: 'setRunName', runId: r2, name: 'from B' });
		await b.ws.flush();
		await a.persistence.exclusive(async () => {});
		const both = await saved(disk);
		expect([both.queries.run(r1)?.info.run_name, both.queries.run(r2)?.info.run_name]).toEqual(['from A', 'from B']);
		expect(a.ws.queries.run(r2)?.info.run_name).toBe('from B');
	});

	it('artifacts no entity points to are swept when a workspace opens', async () => {
		const { ws, disk } = await open();
		await ws.importTree(small('s', 1));
		disk.artifacts.set('nobody/left.bin', new Blob([new Uint8Array(3)]));
		const kept = [...disk.artifacts.keys()].filter((k) => k !== 'nobody/left.bin');
		const next = await open(disk);
		await next.ws.importTree(small('t', 1));
		expect(disk.artifacts.has('nobody/left.bin')).toBe(false);
		for (const k of kept) expect(disk.artifacts.has(k)).toBe(true);
	});

	describe('the bulk image (series and span JSON) is saved apart from the main image', () => {
		/** Every run's histories, as the store reads them. */
		const histories = (ws: Workspace) =>
			Object.fromEntries(ws.queries.runs({ view: 'all' }).map((r) => [r.info.run_id, ws.queries.metricHistories(r.info.run_id)]));

		it('an edit rewrites the main image only; the next session reads both', async () => {
			const { ws, disk } = await open();
			await ws.importTree(await openPath(WITH_ARTIFACTS));
			expect(disk.bulkWrites).toBe(1);
			const bulk = disk.bulk!.bytes;
			// The series are in the bulk image, not the main one.
			expect(disk.bulk!.bytes.length).toBeGreaterThan(0);
			const [run] = ws.queries.runs({ view: 'all' });
			await ws.edit({ op: 'setTag', runId: run.info.run_id, key: 'note', value: 'kept' });
			await ws.edit({ op: 'setRunName', runId: run.info.run_id, name: 'renamed' });
			expect(await ws.flush()).toBeNull();
			expect(disk.bulkWrites).toBe(1);
			expect(disk.bulk!.bytes).toBe(bulk);
			expect(disk.image!.generation).toBe(3);
			const next = await open(disk);
			expect(next.ws.queries.run(run.info.run_id)?.info.run_name).toBe('renamed');
			expect(histories(next.ws)).toEqual(histories(ws));
			expect(Object.keys(histories(ws)[run.info.run_id]).length).toBeGreaterThan(0);
		});

		it('an import, a removed source and a cleared store rewrite it', async () => {
			const { ws, disk } = await open();
			await ws.importTree(small('a', 2));
			await ws.importTree(small('b', 1));
			expect(disk.bulkWrites).toBe(2);
			const [source] = ws.queries.sources();
			await ws.edit({ op: 'removeSource', sourceId: source.source_id });
			await ws.flush();
			expect(disk.bulkWrites).toBe(3);
			expect((await saved(disk)).queries.counts().metric_points).toBe(ws.queries.counts().metric_points);
			await ws.clear();
			expect((await saved(disk)).queries.counts().metric_points).toBe(0);
		});

		it('an image saved as one file (before the bulk image) opens, moves its big tables once, and reads the same', async () => {
			const SQL = await sqlJs();
			const first = await open();
			const { ws } = first;
			await ws.importTree(await openPath(WITH_ARTIFACTS));
			const disk = new MemoryDisk();
			disk.image = { bytes: (await saved(first.disk)).export(), generation: 4, schema: 5 };
			// A one-file image holds the series in its main database.
			expect(Store.open(SQL, disk.image.bytes).queries.counts().metric_points).toBe(ws.queries.counts().metric_points);
			const next = await open(disk);
			expect(disk.bulkWrites).toBe(1);
			expect(disk.image.generation).toBe(5);
			expect(histories(next.ws)).toEqual(histories(ws));
			await open(disk);
			expect(disk.bulkWrites).toBe(1);
		});

		it('two tabs: an edit in one leaves the other its bulk file; an import in one brings the other its series', async () => {
			const disk = new MemoryDisk();
			const a = await open(disk);
			await a.ws.importTree(small('shared', 2));
			const b = await open(disk);
			const [r1] = a.ws.queries.runs({ view: 'all' }).map((r) => r.info.run_id);
			await a.ws.edit({ op: 'setRunName', runId: r1, name: 'from A' });
			await a.ws.flush();
			await b.persistence.exclusive(async () => {});
			expect(b.ws.queries.run(r1)?.info.run_name).toBe('from A');
			expect(histories(b.ws)).toEqual(histories(a.ws));
			await a.ws.importTree(small('more', 3));
			await b.persistence.exclusive(async () => {});
			expect(b.ws.queries.counts().runs).toBe(5);
			expect(histories(b.ws)).toEqual(histories(a.ws));
		});

		it('an import past the largest store the tab holds is refused with the sizes, and changes nothing', async () => {
			const { ws, disk, persistence } = await open();
			await ws.importTree(small('before', 1));
			const image = disk.image!.bytes;
			persistence.maxStoreBytes = 1024 * 1024;
			const lines = Array.from({ length: 200_000 }, (_, i) => `${1_700_000_000_000 + i * 7919} ${Math.sin(i)} ${i}`);
			const big = treeFromMap('big.zip', fileStore([{ id: '3', name: 'big', runs: [{ id: 'b'.repeat(32), metrics: { loss: lines } }] }]));
			const err = await ws.importTree(big).catch((e) => e);
			expect(errorKind(err)).toBe('too-big');
			expect(err.message).toMatch(
				/^big\.zip is too big for this tab's store: it reached \d\.\d MB, over the 1\.0 MB a browser tab can hold/
			);
			expect(err.message).toMatch(/Nothing was imported\./);
			expect(ws.queries.counts().runs).toBe(1);
			expect(disk.image!.bytes).toBe(image);
			await ws.importTree(small('after', 1));
			expect((await saved(disk)).queries.counts().runs).toBe(2);
		});

		it('a failed import after a committed tree takes the bulk file back to the saved one', async () => {
			const { ws, disk } = await open();
			await ws.importTree(small('before', 1));
			const points = ws.queries.counts().metric_points;
			const bad = treeFromMap('bad.json', new Map([['bad.json', new TextEncoder().encode('{"runs": 3}')]]));
			await ws.importTrees([small('one', 3), bad]).catch(() => {});
			expect(ws.queries.counts().metric_points).toBe(points);
			await ws.edit({ op: 'createExperiment', name: 'after' });
			await ws.flush();
			expect((await saved(disk)).queries.counts().metric_points).toBe(points);
		});
	});

	it('saved views: kept with the store, carried by a snapshot of their experiment, copied with it', async () => {
		const { ws } = await open();
		await ws.importTree(small('views', 2));
		await ws.importTree(small('other', 1));
		const [views, other] = ['views', 'other'].map((n) => ws.queries.experiments('all').find((e) => e.name === n)!.experiment_id);
		await ws.edit({ op: 'saveView', experimentId: views, name: 'best first', query: '?id=99&order=metrics.loss+ASC&filter=x' });
		await ws.edit({ op: 'saveView', experimentId: other, name: 'elsewhere', query: 'mode=charts' });
		expect(ws.queries.savedViews(views)).toEqual([
			{ name: 'best first', query: 'order=metrics.loss+ASC&filter=x', created_time: expect.any(Number) }
		]);
		expect(errorKind(await ws.edit({ op: 'saveView', experimentId: views, name: '  ', query: '' }).catch((e) => e))).toBe('edit');
		// Saving under the same name replaces the view.
		await ws.edit({ op: 'saveView', experimentId: views, name: 'best first', query: 'order=metrics.loss+DESC' });
		expect(ws.queries.savedViews(views).map((v) => v.query)).toEqual(['order=metrics.loss+DESC']);

		const bytes = await ws.makeSnapshot({ experimentIds: [views] }, 'none');
		const reader = await open();
		await reader.ws.openSnapshot({ name: 'shared.trackside', reader: memoryReader(bytes) });
		const shared = reader.ws.queries.experiments('all').find((e) => e.name === 'views')!.experiment_id;
		expect(reader.ws.queries.savedViews(shared).map((v) => v.name)).toEqual(['best first']);
		expect(reader.ws.queries.experiments('all').some((e) => e.name === 'other')).toBe(false);
		const report = await reader.ws.copySnapshot();
		expect(report.notes).toContain('1 saved view(s) of the snapshot were copied with their experiments.');
		const copied = reader.ws.queries.experiments('all').find((e) => e.name === 'views')!.experiment_id;
		expect(reader.ws.queries.savedViews(copied).map((v) => [v.name, v.query])).toEqual([['best first', 'order=metrics.loss+DESC']]);

		await ws.edit({ op: 'deleteView', experimentId: views, name: 'best first' });
		expect(ws.queries.savedViews(views)).toEqual([]);
	});
});
