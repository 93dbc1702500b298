/** Snapshots of real fixtures: what goes in comes out, and bad files are refused with a reason. */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { strToU8, unzipSync, zipSync } from 'fflate';
import { Store } from '../db/store';
import { decodeSeries } from '../db/series-codec';
import { importTree } from '../importers';
import { memoryReader } from '../sources/tree';
import { openPath } from '../../cli/node-sources';
import { FIXTURES, sqlJs } from '../testing/fixtures';
import { buildSnapshot } from './build';
import { openSnapshot } from './open';
import { snapshotAsFileStore } from './copy';
import { sha256 } from './format';
import { treeFromMap } from '../sources/tree';
import { contents } from '../testing/store-contents';

const FIXTURE = 'Dan-Irl__mlflow-testing.zip';

/** A store of a fixture, with its artifact bytes kept (the browser keeps them in IndexedDB). */
async function storeWithArtifacts(fixture: string) {
	const SQL = await sqlJs();
	const store = Store.open(SQL);
	const bytes = new Map<string, Uint8Array>();
	const tree = await openPath(FIXTURES + fixture);
	await importTree(SQL, store, tree, {
		now: 0,
		saveArtifact: async (owner, path, file) => void bytes.set(`${owner}/${path}`, await file.bytes())
	});
	await tree.close?.();
	return { SQL, store, readArtifact: async (owner: string, path: string) => bytes.get(`${owner}/${path}`) };
}

describe('snapshots', () => {
	it('hold the experiments, runs, full histories and artifacts, checked on the way out', async () => {
		const { SQL, store, readArtifact } = await storeWithArtifacts(FIXTURE);
		const progress: [number, number][] = [];
		const file = await buildSnapshot(SQL, store, {
			artifacts: 'all',
			readArtifact,
			now: 1,
			onProgress: (d, t) => void progress.push([d, t])
		});
		const snap = await openSnapshot(SQL, 'x.trackside', memoryReader(file));
		expect(snap.manifest).toMatchObject({ format: 'trackside-snapshot', formatVersion: 1, createdAt: 1 });
		// Progress: from 0 to every series and artifact written, never backwards.
		const total = snap.manifest.counts.series + store.queries.artifactKeys().length;
		expect(progress[0]).toEqual([0, total]);
		expect(progress.at(-1)).toEqual([total, total]);
		for (let i = 1; i < progress.length; i++) expect(progress[i][0]).toBeGreaterThan(progress[i - 1][0]);
		expect(snap.manifest.counts.runs).toBe(store.queries.counts().runs);
		expect(
			snap.store.queries
				.experiments('all')
				.map((e) => e.name)
				.sort()
		).toEqual(
			store.queries
				.experiments('all')
				.map((e) => e.name)
				.sort()
		);
		expect(snap.store.queries.sources()).toEqual([]);
		for (const run of store.queries.runs({ view: 'all' })) {
			expect(snap.store.queries.run(run.info.run_id)).toEqual(run);
			for (const [key, s] of Object.entries(store.queries.metricHistories(run.info.run_id))) {
				expect(decodeSeries((await snap.series(run.info.run_id, key))!)).toEqual(s);
			}
			for (const a of store.queries.artifacts(run.info.run_id)) {
				// Buffer equality: a deep toEqual over megabytes of bytes takes seconds.
				const [got, want] = [await snap.artifact(run.info.run_id, a.path), await readArtifact(run.info.run_id, a.path)];
				expect(Buffer.from(got!).equals(Buffer.from(want!)), a.path).toBe(true);
			}
		}
		expect(snap.manifest.counts.artifacts).toBeGreaterThan(0);
	});

	it('can hold chosen runs only, with their experiment and the registry entries of those runs', async () => {
		const { SQL, store } = await storeWithArtifacts('PatrickCmd__mlops-zoomcamp.zip');
		const registered = store.queries.modelVersions().find((v) => v.run_id && store.queries.run(v.run_id))!;
		const other = store.queries.runs({ view: 'all' }).find((r) => r.info.run_id !== registered.run_id)!;
		const snap = await openSnapshot(
			SQL,
			'x.trackside',
			memoryReader(await buildSnapshot(SQL, store, { runIds: [registered.run_id!, other.info.run_id], artifacts: 'none' }))
		);
		expect(
			snap.store.queries
				.runs({ view: 'all' })
				.map((r) => r.info.run_id)
				.sort()
		).toEqual([registered.run_id, other.info.run_id].sort());
		const experiments = new Set([store.queries.run(registered.run_id!)!.info.experiment_id, other.info.experiment_id]);
		expect(new Set(snap.store.queries.experiments('all').map((e) => e.experiment_id))).toEqual(experiments);
		expect(snap.store.queries.registeredModels().map((m) => m.name)).toContain(registered.name);
	});

	it('opens read-only: edits and imports are refused and change nothing', async () => {
		const { SQL, store } = await storeWithArtifacts(FIXTURE);
		const snap = await openSnapshot(SQL, 'x.trackside', memoryReader(await buildSnapshot(SQL, store, { artifacts: 'none' })));
		const run = snap.store.queries.runs({ view: 'all' })[0];
		const before = snap.store.queries.run(run.info.run_id);
		await expect(snap.store.edit({ op: 'setRunName', runId: run.info.run_id, name: 'changed' })).rejects.toThrow(
			'x.trackside is a read-only snapshot'
		);
		await expect(importTree(SQL, snap.store, await openPath(FIXTURES + 'gabrielneil__mlflow-project.zip'), { now: 0 })).rejects.toThrow(
			/read-only snapshot/
		);
		expect(snap.store.queries.run(run.info.run_id)).toEqual(before);
		expect(snap.store.queries.experiments('all')).toHaveLength(store.queries.experiments('all').length);
	});

	it('can hold one experiment, and artifacts only under a size cap', async () => {
		const { SQL, store, readArtifact } = await storeWithArtifacts(FIXTURE);
		const experiment = store.queries.experiments('all').find((e) => e.run_count > 0)!;
		const file = await buildSnapshot(SQL, store, { experimentIds: [experiment.experiment_id], artifacts: 2000, readArtifact });
		const snap = await openSnapshot(SQL, 'x.trackside', memoryReader(file));
		expect(snap.store.queries.experiments('all').map((e) => e.experiment_id)).toEqual([experiment.experiment_id]);
		expect(snap.store.queries.counts().runs).toBe(experiment.run_count);
		for (const run of snap.store.queries.runs({ view: 'all' })) {
			for (const a of snap.store.queries.artifacts(run.info.run_id)) expect(a.size).toBeLessThanOrEqual(2000);
		}
	});

	it('refuses what is not a snapshot, is truncated, altered, or from a newer Trackside', async () => {
		const { SQL, store } = await storeWithArtifacts(FIXTURE);
		const file = await buildSnapshot(SQL, store, { artifacts: 'none' });
		const open = (bytes: Uint8Array) => openSnapshot(SQL, 'x.trackside', memoryReader(bytes));
		await expect(open(readFileSync(FIXTURES + FIXTURE))).rejects.toThrow(/is a zip but not a Trackside snapshot/);
		await expect(open(file.subarray(0, file.length - 100))).rejects.toThrow(/x\.trackside is not a readable Trackside snapshot/);
		const entries = unzipSync(file);
		const manifest = JSON.parse(new TextDecoder().decode(entries['manifest.json']));
		const rezip = (changes: Record<string, Uint8Array>) => zipSync({ ...entries, ...changes });
		await expect(
			open(rezip({ 'manifest.json': strToU8(JSON.stringify({ ...manifest, formatVersion: 9, trackside: '9.0.0' })) }))
		).rejects.toThrow(/made by a newer Trackside \(9\.0\.0, snapshot format 9\); this one reads formats up to 1/);
		// A crafted manifest (a date that is no date, counts that are not counts) fails now, with the reason.
		await expect(open(rezip({ 'manifest.json': strToU8(JSON.stringify({ ...manifest, createdAt: 'soon' })) }))).rejects.toThrow(
			/corrupt: its manifest has no valid date \(createdAt "soon"\)/
		);
		await expect(open(rezip({ 'manifest.json': strToU8(JSON.stringify({ ...manifest, createdAt: 1e300 })) }))).rejects.toThrow(
			/no valid date/
		);
		await expect(
			open(rezip({ 'manifest.json': strToU8(JSON.stringify({ ...manifest, counts: { ...manifest.counts, runs: -1 } })) }))
		).rejects.toThrow(/counts that are not counts/);
		await expect(open(rezip({ 'manifest.json': strToU8('null') }))).rejects.toThrow(/manifest is not an object/);
		// A store image with a view that never ends, its hash made to match: refused before any page queries it.
		const crafted = new SQL.Database(entries['meta.sqlite']);
		crafted.exec(
			'DROP TABLE experiment_tags; CREATE VIEW experiment_tags AS WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM c) SELECT n AS experiment_id, n AS key, n AS value FROM c;'
		);
		const craftedMeta = crafted.export();
		crafted.close();
		const craftedManifest = { ...manifest, meta: { ...manifest.meta, sha256: await sha256(craftedMeta), size: craftedMeta.length } };
		await expect(open(rezip({ 'meta.sqlite': craftedMeta, 'manifest.json': strToU8(JSON.stringify(craftedManifest)) }))).rejects.toThrow(
			/not a snapshot Trackside made: its store holds views, triggers or computed columns \(experiment_tags\)/
		);
		const meta = entries['meta.sqlite'].slice();
		meta[meta.length - 10] ^= 0xff;
		await expect(open(rezip({ 'meta.sqlite': meta }))).rejects.toThrow(/corrupt or was altered: its data does not match the hash/);
		// An altered series is caught when it is read.
		const seriesName = Object.keys(entries).find((n) => n.startsWith('series/'))!;
		const series = entries[seriesName].slice();
		series[series.length - 1] ^= 0xff;
		const snap = await open(rezip({ [seriesName]: series }));
		const [, runId, key] = seriesName.split('/');
		await expect(snap.series(runId, decodeURIComponent(key))).rejects.toThrow(/was altered: series\/.* does not match its hash/);
	});

	it('copies into a workspace whole: experiments, runs, histories, registry and artifacts', async () => {
		for (const fixture of [FIXTURE, 'PatrickCmd__mlops-zoomcamp.zip']) {
			const { SQL, store, readArtifact } = await storeWithArtifacts(fixture);
			const snap = await openSnapshot(
				SQL,
				'x.trackside',
				memoryReader(await buildSnapshot(SQL, store, { artifacts: 'all', readArtifact }))
			);
			const workspace = Store.open(SQL);
			await importTree(SQL, workspace, treeFromMap('copy', await snapshotAsFileStore(SQL, snap)), { now: 0 });
			expect(contents(workspace)).toEqual(contents(store));
			expect(workspace.queries.artifactKeys().sort()).toEqual(store.queries.artifactKeys().sort());
		}
	});

	it('carries traces: span JSON as entries outside the image, read back whole, and copied into a workspace', async () => {
		const SQL = await sqlJs();
		const store = Store.open(SQL);
		const genai = FIXTURES.replace(/real\/$/, 'genai/');
		const tree = await openPath(genai + 'takaaki-yayoi__mlflow_llmops.zip');
		await importTree(SQL, store, tree, { now: 0 });
		await tree.close?.();
		const bytes = await buildSnapshot(SQL, store, { artifacts: 'none' });
		const entries = Object.keys(unzipSync(bytes)).filter((n) => n.startsWith('spans/'));
		expect(entries.length).toBe(Number(store.db.exec('SELECT count(*) FROM span_chunks')[0].values[0][0]));
		const snap = await openSnapshot(SQL, 'x.trackside', memoryReader(bytes));
		expect(snap.manifest.counts.traces).toBe(14);
		// The image holds no span JSON: every chunk is an entry, fetched and checked on demand.
		expect(snap.store.db.exec('SELECT sum(length(content)) FROM span_chunks')[0].values[0][0]).toBe(0);
		const traceIds = store.queries.searchTraceIds({ experimentIds: ['1'] });
		expect(snap.store.queries.searchTraceIds({ experimentIds: ['1'] })).toEqual(traceIds);
		const workspace = Store.open(SQL);
		await importTree(SQL, workspace, treeFromMap('copy', await snapshotAsFileStore(SQL, snap)), { now: 0 });
		for (const id of traceIds) {
			expect(workspace.queries.traceInfo(id)).toEqual(store.queries.traceInfo(id));
			expect(workspace.queries.traceDetail(id)!.spans).toEqual(store.queries.traceDetail(id)!.spans);
		}
	});

	it('carries evaluation datasets, which have no FileStore form, into a workspace copy', async () => {
		const SQL = await sqlJs();
		const store = Store.open(SQL);
		const tree = await openPath(FIXTURES + 'mlflow__mlflow-export-import.zip');
		await importTree(SQL, store, tree, { now: 0 });
		await tree.close?.();
		const snap = await openSnapshot(SQL, 'x.trackside', memoryReader(await buildSnapshot(SQL, store, { artifacts: 'none' })));
		const workspace = Store.open(SQL);
		await importTree(SQL, workspace, treeFromMap('copy', await snapshotAsFileStore(SQL, snap)), { now: 0 });
		const datasets = (s: Store) =>
			s.queries
				.evaluationDatasets()
				.map((d) => ({ ...d, records: s.queries.datasetRecords(d.dataset_id).map((r) => [r.inputs, r.expectations]) }));
		expect(datasets(store)).toHaveLength(2);
		expect(datasets(workspace)).toEqual(datasets(store));
	});
});
