/**
 * The UI's handle on the store worker. The worker is created only in the browser (the shell is
 * prerendered in Node) and only once; every page shares it.
 */
import * as Comlink from 'comlink';
// UserErrors cross the worker boundary with their kind and details.
import '../errors-transfer';
// Metric series arrive packed and are viewed per series here.
import '../series-transfer';
import wasmUrl from 'sql.js/dist/sql-wasm.wasm?url';
import { loadImage } from '../../workers/indexeddb-persistence';
import type { SnapshotInfo, StoreApi } from '../../workers/protocol';
import type { EditOp, EditResult } from '../db/edits';
import type { ImportReport } from '../importers/context';

let remote: Comlink.Remote<StoreApi> | undefined;

export function storeApi(): Comlink.Remote<StoreApi> {
	if (!remote) {
		const worker = new Worker(new URL('../../workers/store.worker.ts', import.meta.url), { type: 'module' });
		remote = Comlink.wrap<StoreApi>(worker);
		boot(remote);
		// Ask the browser not to evict the store under storage pressure; the answer is shown on the home page.
		navigator.storage?.persist?.().catch(() => {});
	}
	return remote;
}

/**
 * Compiles sql.js's wasm and reads the saved image while the worker's script loads, then hands
 * both over: on a cold page load they were the worker's first ~55 ms, after its own ~35 ms start.
 * Neither is SQL. A failure here is left to the worker, which tries again and reports it.
 */
function boot(api: Comlink.Remote<StoreApi>): void {
	const wasm = WebAssembly.compileStreaming(fetch(wasmUrl))
		// A host that does not serve application/wasm: compile the bytes.
		.catch(async () => WebAssembly.compile(await (await fetch(wasmUrl)).arrayBuffer()))
		.catch(() => undefined);
	const image = loadImage().then(
		(saved) => saved ?? null,
		() => undefined
	);
	Promise.all([wasm, image]).then(([wasm, image]) =>
		api.boot(Comlink.transfer({ wasm, image }, image ? [image.bytes.buffer, image.bulk?.buffer].filter((b): b is ArrayBuffer => !!b) : []))
	);
	// Another tab saved: this tab's worker has caught up; every page reloads what it shows.
	api.onExternalChange(Comlink.proxy(() => storeChanged()));
}

let readyOnce: Promise<unknown> | undefined;
/** Resolves once the worker has restored the store (asked of the worker once). */
export function storeReady(): Promise<unknown> {
	readyOnce ??= storeApi().ready();
	// A page opened on a snapshot link shows the snapshot, never the local store first.
	return snapshotOpening ? Promise.all([readyOnce, snapshotOpening]) : readyOnce;
}

/** The snapshot open read-only, if any (the worker serves it in place of the local store). */
export const snapshotState = $state<{
	info: SnapshotInfo | null;
	opening: string | null;
	error: string | null;
	downloaded: [number, number] | null;
}>({
	info: null,
	opening: null,
	error: null,
	downloaded: null
});
let snapshotOpening: Promise<unknown> | undefined;

/** Edit controls are left out while a snapshot is open; the worker refuses writes anyway. */
export function readOnly(): boolean {
	return snapshotState.info !== null || snapshotState.opening !== null;
}

export function openSnapshot(source: { url: string } | { file: File }): Promise<unknown> {
	const label = 'url' in source ? source.url : source.file.name;
	snapshotState.opening = label;
	snapshotState.error = null;
	snapshotOpening = storeApi()
		.openSnapshot(
			source,
			Comlink.proxy((done: number, total: number) => {
				snapshotState.downloaded = [done, total];
			})
		)
		.then((info) => {
			snapshotState.info = info;
		})
		.catch((e) => {
			snapshotState.error = (e as Error).message;
		})
		.finally(() => {
			snapshotState.opening = null;
			snapshotState.downloaded = null;
			storeChanged();
		});
	return snapshotOpening;
}

/** Imports the open snapshot into the local store, then shows the local store. */
export async function copySnapshotIntoWorkspace(): Promise<ImportReport> {
	const report = await storeApi().copySnapshotIntoWorkspace();
	snapshotState.info = null;
	snapshotOpening = undefined;
	storeChanged();
	return report;
}

export async function closeSnapshot(): Promise<void> {
	await storeApi().closeSnapshot();
	snapshotState.info = null;
	snapshotOpening = undefined;
	storeChanged();
}

/** Bumped after every change to the store so that pages reload what they show. */
export const storeVersion = $state({ value: 0 });
/**
 * Changes when metric histories may have: anything but a local edit that leaves them alone. Pages
 * load histories on this, so that a tag added beside a 20M-point chart does not read it again
 * (and the edit's save does not wait behind that read in the worker's queue).
 */
export const seriesVersion = $state({ value: 0 });
export function storeChanged(seriesToo = true): void {
	storeVersion.value++;
	if (seriesToo) seriesVersion.value++;
}

/** The edits that change metric histories. */
const SERIES_EDITS = new Set<EditOp['op']>(['logMetric', 'removeSource']);

/** What the header says about local edits: saved, saving, or why saving failed. */
export const saveState = $state<{ value: 'saved' | 'saving'; error: string | null }>({ value: 'saved', error: null });

/**
 * Applies a local edit, refreshes every page, and tracks its save. Returns what the edit created,
 * or throws with the store's reason (e.g. a duplicate experiment name).
 */
let pendingSaves = 0;
export async function edit(op: EditOp): Promise<EditResult> {
	const api = storeApi();
	await storeReady();
	const result = await api.edit(op);
	storeChanged(SERIES_EDITS.has(op.op));
	pendingSaves++;
	saveState.value = 'saving';
	api.flush().then((error) => {
		if (--pendingSaves === 0) saveState.value = 'saved';
		saveState.error = error;
		if (error) watchSave();
	});
	return result;
}

/** While a save has failed, the worker retries it; the header follows until it succeeds. */
let watching = false;
function watchSave(): void {
	if (watching) return;
	watching = true;
	const check = () =>
		storeApi()
			.flush()
			.then((error) => {
				saveState.error = error;
				if (error) setTimeout(check, 2000);
				else watching = false;
			});
	setTimeout(check, 2000);
}
