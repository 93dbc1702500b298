/**
 * The store worker: owns the sql.js database, runs imports and every query, and persists the image
 * to IndexedDB. The UI reaches it only through comlink (protocol.ts); no SQL runs on the main thread.
 */
import * as Comlink from 'comlink';
// UserErrors cross the worker boundary with their kind and details.
import '../lib/errors-transfer';
import type { SqlJsStatic } from 'sql.js';
import { loadSqlJs } from '../lib/db/sqljs';
import wasmUrl from 'sql.js/dist/sql-wasm.wasm?url';
import { ReadOnlyError, Store } from '../lib/db/store';
import { SearchError } from '../lib/search/parse';
import { EditError, type EditOp } from '../lib/db/edits';
import { SCHEMA_VERSION } from '../lib/db/schema';
import { artifactKey } from '../lib/db/queries';
import type { ImportOptions, ImportReport } from '../lib/importers/context';
import type { ByteReader, SourceTree } from '../lib/sources/tree';
import type { InflateChannel } from '../lib/sources/zip-prefetch';
import type { OpenedSnapshot } from '../lib/snapshot/open';
import type { HttpReader } from '../lib/sources/http';
import { decodeSeries } from '../lib/db/series-codec';
import type { MlflowClient } from '../lib/remote/client';
import type { PullResult, PullState } from '../lib/remote/pull';
import * as persist from './persist';
import { toJson, type BootInputs, type Connection, type ImportInput, type SnapshotInfo, type StoreApi } from './protocol';
import type { Series } from '../lib/db/series-codec';

let SQL: SqlJsStatic;
let store: Store;
let imageBytes = 0;
/** The generation of the saved image this tab's store is (see persist.ts, and `serialized` below). */
let generation = 0;
let currentCancel: { cancelled: boolean } | undefined;

let boot: (inputs: BootInputs) => void;
const booted = new Promise<BootInputs>((resolve) => (boot = resolve));
const ready = (async () => {
	const { wasm, image: given } = await booted;
	// What the page could not get, the worker gets: both at the same time.
	const [sql, image] = await Promise.all([
		loadSqlJs(async () => wasm ?? fetch(wasmUrl)),
		given !== undefined ? given ?? undefined : persist.loadImage()
	]);
	SQL = sql;
	store = Store.open(SQL, image?.bytes);
	imageBytes = image?.bytes.length ?? 0;
	generation = image?.generation ?? 0;
	return { restored: !!image };
})();
/** Import, export, snapshot and pull code (tasks.ts), loaded once on first use. */
/**
 * The lazy chunk, loaded once. A failed load (a host that dropped the connection: python's
 * http.server refuses connections past a backlog of 5) is tried again once, and not cached, so a
 * later call retries instead of failing for the rest of the session.
 */
let taskModule: Promise<typeof import('./tasks')> | undefined;
const tasks = () =>
	(taskModule ??= import('./tasks').catch(() => new Promise<void>((r) => setTimeout(r, 300)).then(() => import('./tasks')))).catch((e: unknown) => {
		taskModule = undefined;
		throw e;
	});

/**
 * Artifacts no entity points to (left by an import that failed after writing them) are deleted
 * once the store is up, off every page's path. Imports wait for it, since sweeping while one writes
 * could delete its new artifacts. A failed sweep only leaves the orphans for the next load.
 */
const swept = ready
	.then(async ({ restored }) => {
		if (restored) await persist.sweepArtifacts(new Set(store.queries.artifactKeys()));
	})
	.catch(() => {});

/**
 * Tabs. Each tab's worker holds its own copy of the store and saves the whole image, so writes
 * are serialized across tabs by a Web Lock, and each starts by catching up with the saved image
 * if another tab saved since (then re-applies this tab's edits not saved yet). After each save a
 * BroadcastChannel tells the other tabs, which catch up and have their pages reload. No write is
 * lost, and no tab keeps showing stale data.
 */
const channel = typeof BroadcastChannel !== 'undefined' ? new BroadcastChannel('trackside-store') : undefined;
let externalChange: (() => void) | undefined;
/** Edits applied to this tab's store and not saved yet (replayed over a newer image). */
let pending: EditOp[] = [];

function serialized<T>(fn: () => Promise<T>): Promise<T> {
	return typeof navigator !== 'undefined' && navigator.locks ? navigator.locks.request('trackside-store', fn) : fn();
}

/** Inside the lock: loads the saved image if another tab saved a newer one. True when it did. */
async function catchUp(): Promise<boolean> {
	if ((await persist.imageGeneration()) <= generation) return false;
	const saved = await persist.loadImage();
	if (!saved) return false;
	store.close();
	store = Store.open(SQL, saved.bytes);
	imageBytes = saved.bytes.length;
	generation = saved.generation;
	for (const op of pending) {
		try {
			await store.edit(op);
		} catch {
			// An edit the other tab made impossible (its run deleted there) is dropped with it.
		}
	}
	return true;
}

channel?.addEventListener('message', (e: MessageEvent<{ generation: number }>) => {
	if (e.data.generation <= generation) return;
	void ready.then(() => serialized(catchUp)).then((changed) => changed && externalChange?.());
});

/** Inside the lock: writes the image as the next generation and tells the other tabs. */
async function save(): Promise<void> {
	const image = store.export();
	await persist.saveImage(image, SCHEMA_VERSION, generation + 1);
	generation++;
	imageBytes = image.length;
	pending = [];
	channel?.postMessage({ generation });
}

/**
 * Edits are applied at once and saved in the same turn of the lock. A failed save (a full disk)
 * keeps the edit pending, says so on the page, and is tried again every few seconds and on the
 * next edit, so the edit is kept until it is saved.
 */
const RETRY_MS = 5000;
let saving: Promise<void> = Promise.resolve();
let saveError: string | null = null;
let retryTimer: ReturnType<typeof setTimeout> | undefined;

async function trySave(): Promise<void> {
	clearTimeout(retryTimer);
	if (pending.length === 0) return;
	try {
		await save();
		saveError = null;
	} catch (e) {
		saveError = persist.isQuotaError(e)
			? 'Not enough storage space to save your changes: they are kept in this tab and saved as soon as there is room. Free space in the browser, or keep this tab open.'
			: `Your changes could not be saved yet (${(e as Error).message}); they are kept in this tab and saving is retried.`;
		retryTimer = setTimeout(() => void (saving = serialized(trySave)), RETRY_MS);
	}
}

function flush(): Promise<string | null> {
	return saving.then(() => saveError);
}

/**
 * Imports a tree and persists the result. On any failure (bad input, cancel, a full disk) the
 * store is as it was: the SQL transaction rolls back, artifacts written for the import are removed,
 * and if saving the image failed the last saved image is reloaded.
 */
async function runImport(tree: SourceTree, onProgress?: ImportOptions['onProgress']): Promise<ImportReport> {
	if (currentCancel) throw new Error('another import is running; wait for it or cancel it');
	const cancel = (currentCancel = { cancelled: false });
	try {
		return await serialized(() => importLocked(tree, cancel, onProgress));
	} finally {
		currentCancel = undefined;
		await tree.close?.();
	}
}

async function importLocked(tree: SourceTree, cancel: { cancelled: boolean }, onProgress?: ImportOptions['onProgress']): Promise<ImportReport> {
	await swept;
	if (await catchUp()) externalChange?.();
	const written: string[] = [];
	let committed = false;
	try {
		const report = await (await tasks()).importTree(SQL, store, tree, {
			cancel,
			onProgress,
			async saveArtifact(owner, path, file) {
				const key = artifactKey(owner, path);
				await persist.putArtifact(key, new Blob([(await file.bytes()) as BlobPart]));
				written.push(key);
			}
		});
		committed = true;
		onProgress?.({ phase: 'saving', bytesDone: 1, bytesTotal: 1, runsDone: report.imported.runs, runsTotal: report.imported.runs });
		await save();
		return report;
	} catch (e) {
		if (committed) {
			// The image could not be saved (quota): go back to the last image that was, and this
			// tab's unsaved edits over it.
			generation = -1;
			await catchUp();
		}
		const kept = new Set(store.queries.artifactKeys());
		await persist.deleteArtifacts(written.filter((k) => !kept.has(k))).catch(() => {});
		if (persist.isQuotaError(e)) {
			throw new Error('Not enough storage space for this import: nothing was changed. Free space in the browser (or clear old data) and try again.');
		}
		throw e;
	}
}

/**
 * A helper worker that inflates zip entries ahead of the import. One is started in advance (by
 * warmUp, when the import panel shows) so that an import does not wait for its module to load
 * (~100 ms, most of a small import's overhead). Nested workers may be missing: then entries are
 * inflated here.
 */
const canNest = typeof Worker !== 'undefined';
const spawnInflater = () => new Worker(new URL('./inflate.worker.ts', import.meta.url), { type: 'module' });
let spareInflater: Worker | undefined;

function inflateWorker(file: Blob): (() => InflateChannel) | undefined {
	if (!canNest) return undefined;
	return () => {
		const worker = spareInflater ?? spawnInflater();
		spareInflater = spawnInflater();
		let first = true;
		return {
			send(jobs) {
				worker.postMessage(first ? { file, jobs } : { jobs });
				first = false;
			},
			onResults(handler) {
				worker.onmessage = (event) => handler(event.data);
			},
			close: () => worker.terminate()
		};
	};
}

async function treeOf(input: ImportInput): Promise<SourceTree> {
	const { openFile, blobReader, treeFromFiles } = await tasks();
	if (input.kind === 'file') return openFile(input.file.name, blobReader(input.file), inflateWorker(input.file));
	return treeFromFiles(input.name, input.files);
}

/** A snapshot open read-only, in place of the user's store (which stays as it was, untouched). */
let snapshot: OpenedSnapshot | undefined;
let snapshotReader: ByteReader | HttpReader | undefined;
const READ_ONLY = 'This is a read-only snapshot: nothing in it can be changed. Copy it into your workspace to work on it.';
const q = () => (snapshot?.store ?? store).queries;

function refuseInSnapshot(): void {
	if (snapshot) throw new ReadOnlyError(READ_ONLY);
}

function snapshotInfo(): SnapshotInfo | null {
	if (!snapshot) return null;
	const r = snapshotReader as Partial<HttpReader> | undefined;
	return { name: snapshot.name, manifest: snapshot.manifest, size: snapshotReader?.size ?? 0, fetched: r?.fetched?.() ?? snapshotReader?.size ?? 0, ranged: r?.ranged ?? false };
}

/** What pulls fetched before failing, by server URL: pulling again resumes from there. */
const pullStates = new Map<string, PullState>();

async function client(connection: Connection): Promise<MlflowClient> {
	return new (await tasks()).MlflowClient({ url: connection.url, auth: connection.auth, origin: self.location.origin });
}

/** Series cross to the page without a copy: their buffers are transferred. */
function transferSeries(all: Record<string, Series>): Record<string, Series> {
	const buffers = Object.values(all).flatMap((s) => [s.steps.buffer, s.timestamps.buffer, s.values.buffer]);
	return Comlink.transfer(all, buffers as Transferable[]);
}

const api: StoreApi = {
	boot: (inputs) => boot(inputs),
	ready: () => ready,
	async warmUp() {
		await ready;
		void tasks();
		if (canNest) spareInflater ??= spawnInflater();
	},
	async importInput(input, onProgress) {
		await ready;
		refuseInSnapshot();
		return runImport(await treeOf(input), onProgress);
	},
	async importDemo() {
		await ready;
		refuseInSnapshot();
		const { treeFromMap, demoFileStore } = await tasks();
		return runImport(treeFromMap('Trackside demo', demoFileStore()));
	},
	cancelImport() {
		if (currentCancel) currentCancel.cancelled = true;
	},
	async clearAll() {
		await ready;
		refuseInSnapshot();
		await serialized(async () => {
			await persist.clearAll();
			store.close();
			store = Store.open(SQL);
			// An empty image as the next generation: the other tabs empty theirs too.
			pending = [];
			await save();
		});
	},
	async storage() {
		const estimate = await navigator.storage?.estimate?.().catch(() => undefined);
		const persisted = (await navigator.storage?.persisted?.().catch(() => false)) ?? false;
		return { usage: estimate?.usage ?? null, quota: estimate?.quota ?? null, persisted, imageBytes };
	},
	async edit(op) {
		await ready;
		if (snapshot) return { error: READ_ONLY };
		// The edit is answered as soon as it is applied; its save follows in the same turn of the lock.
		let applied!: (r: Awaited<ReturnType<StoreApi['edit']>>) => void;
		const answer = new Promise<Awaited<ReturnType<StoreApi['edit']>>>((r) => (applied = r));
		saving = serialized(async () => {
			if (await catchUp()) externalChange?.();
			let artifactsBefore: string[] = [];
			try {
				artifactsBefore = op.op === 'removeSource' ? store.queries.artifactKeys() : [];
				const result = await store.edit(op);
				pending.push(op);
				applied(result);
			} catch (e) {
				applied(e instanceof EditError || e instanceof ReadOnlyError ? { error: e.message } : { error: `The edit failed: ${(e as Error).message}` });
				return;
			}
			await trySave();
			// Artifact bytes live in IndexedDB beside the image: drop those no entity points to now.
			if (artifactsBefore.length && !saveError) {
				const kept = new Set(store.queries.artifactKeys());
				await persist.deleteArtifacts(artifactsBefore.filter((k) => !kept.has(k))).catch(() => {});
			}
		});
		return answer;
	},
	onExternalChange(callback) {
		externalChange = callback;
	},
	flush: () => flush(),
	sources: () => q().sources(),
	searchExperiments(view, search) {
		try {
			return { experiments: q().experiments(view, search) };
		} catch (e) {
			if (e instanceof SearchError) return { error: e.message };
			throw e;
		}
	},
	experiment: (id) => q().experiment(id),
	runs: (experimentId, view) => toJson(q().runs({ experimentIds: [experimentId], view })),
	runsById: (runIds) => toJson(q().runs({ runIds, view: 'all' })),
	run: (runId) => q().run(runId),
	searchRunIds(search) {
		const t0 = performance.now();
		try {
			const ids = q().searchRunIds(search);
			return { ids, ms: performance.now() - t0 };
		} catch (e) {
			if (e instanceof SearchError) return { error: { message: e.message, start: e.start, end: e.end, field: e.field } };
			throw e;
		}
	},
	metricKeys: (runId) => q().metricKeys(runId),
	metricRanges: (experimentId) => q().metricRanges(experimentId),
	async metricHistories(runId) {
		if (!snapshot) return transferSeries(store.queries.metricHistories(runId));
		const out: Record<string, Series> = {};
		for (const { key } of q().metricKeys(runId)) {
			const bytes = await snapshot.series(runId, key);
			if (bytes) out[key] = decodeSeries(bytes);
		}
		return transferSeries(out);
	},
	async metricSeries(runIds, key) {
		if (!snapshot) return transferSeries(store.queries.metricSeries(runIds, key));
		const out: Record<string, Series> = {};
		for (const runId of runIds) {
			const bytes = await snapshot.series(runId, key);
			if (bytes) out[runId] = decodeSeries(bytes);
		}
		return transferSeries(out);
	},
	metricSummaries: (runIds) => q().metricSummaries(runIds),
	async remoteExperiments(connection) {
		return (await tasks()).listExperiments(await client(connection));
	},
	async pullRemote(connection, plan, onProgress) {
		await ready;
		refuseInSnapshot();
		if (currentCancel) throw new Error('an import is running; wait for it or cancel it');
		const { newPullState, pull, treeFromMap } = await tasks();
		const remote = await client(connection);
		const state = pullStates.get(connection.url) ?? newPullState();
		pullStates.set(connection.url, state);
		const cancel = (currentCancel = { cancelled: false });
		let pulled: PullResult;
		try {
			pulled = await pull(remote, plan, (ids) => store.queries.knownRuns(ids), state, (p) => onProgress?.(p), cancel);
		} finally {
			currentCancel = undefined;
		}
		const report = await runImport(treeFromMap(`pull from ${connection.url}`, pulled.files));
		report.notes.push(...pulled.notes);
		pullStates.delete(connection.url);
		return report;
	},
	async exportFile(selection, format) {
		refuseInSnapshot();
		const bytes = (await tasks()).exportFile(SQL, store, selection, format);
		return Comlink.transfer(bytes, [bytes.buffer as ArrayBuffer]);
	},
	loggedModels: (runId) => q().loggedModels(runId),
	loggedModel: (modelId) => q().loggedModel(modelId),
	registeredModel: (name) => q().registeredModel(name),
	childRuns: (runId) => q().childRuns(runId),
	modelVersions: (filter) => q().modelVersions(filter),
	searchModelVersions(search) {
		try {
			return { versions: q().modelVersions(search) };
		} catch (e) {
			if (e instanceof SearchError) return { error: e.message };
			throw e;
		}
	},
	searchRegisteredModels(search) {
		try {
			return { models: q().registeredModels(search) };
		} catch (e) {
			if (e instanceof SearchError) return { error: e.message };
			throw e;
		}
	},
	artifacts: (ownerId) => q().artifacts(ownerId),
	async artifact(ownerId, path) {
		if (!snapshot) return persist.getArtifact(artifactKey(ownerId, path));
		const bytes = await snapshot.artifact(ownerId, path);
		return bytes && new Blob([bytes as BlobPart]);
	},
	async openSnapshot(source, onProgress) {
		await ready;
		const { httpReader, blobReader, openSnapshot, snapshotUrl } = await tasks();
		// Progress matters only for hosts without ranges, where the whole file is downloaded first.
		const reader = 'url' in source ? await httpReader(snapshotUrl(source.url), { onProgress: (done, total) => onProgress?.(done, total) }) : blobReader(source.file);
		const name = 'url' in source ? source.url : source.file.name;
		const opened = await openSnapshot(SQL, name, reader);
		snapshot = opened;
		snapshotReader = reader;
		return snapshotInfo()!;
	},
	async makeSnapshot(selection, artifacts) {
		await ready;
		refuseInSnapshot();
		const bytes = await (await tasks()).buildSnapshot(SQL, store, {
			...selection,
			artifacts,
			readArtifact: async (owner, path) => {
				const blob = await persist.getArtifact(artifactKey(owner, path));
				return blob && new Uint8Array(await blob.arrayBuffer());
			}
		});
		return Comlink.transfer(bytes, [bytes.buffer as ArrayBuffer]);
	},
	async copySnapshotIntoWorkspace() {
		if (!snapshot) throw new Error('No snapshot is open');
		const { snapshotAsFileStore, treeFromMap } = await tasks();
		const files = await snapshotAsFileStore(SQL, snapshot);
		const name = `snapshot ${snapshot.name.split('/').pop()}`;
		snapshot = undefined;
		snapshotReader = undefined;
		return runImport(treeFromMap(name, files));
	},
	closeSnapshot() {
		snapshot = undefined;
		snapshotReader = undefined;
	},
	snapshotInfo: () => snapshotInfo()
};

Comlink.expose(api);
