/**
 * The store worker: a thin Comlink adapter over a Workspace (lib/workspace), which owns the store
 * and every flow around it. Here: boot, the browser's inputs (files, folders, nested inflaters),
 * and transfers. No SQL runs on the main thread.
 */
import * as Comlink from 'comlink';
// UserErrors cross the worker boundary with their kind and details.
import '../lib/errors-transfer';
import { SeriesRecord } from '../lib/series-transfer';
import { loadSqlJs } from '../lib/db/sqljs';
import wasmUrl from 'sql.js/dist/sql-wasm.wasm?url';
import type { Series } from '../lib/db/series-codec';
import type { SourceTree } from '../lib/sources/tree';
import type { InflateChannel } from '../lib/sources/zip-prefetch';
import { Workspace } from '../lib/workspace/workspace';
import { loadTasks } from '../lib/workspace/load-tasks';
import { IndexedDbPersistence } from './indexeddb-persistence';
import type { Run } from '../lib/db/rest-types';
import type { BootInputs, ImportInput, JsonText, StoreApi } from './protocol';

let boot: (inputs: BootInputs) => void;
const booted = new Promise<BootInputs>((resolve) => (boot = resolve));
let workspace: Workspace;
const ready = (async () => {
	const { wasm, image } = await booted;
	// What the page could not get, the worker gets: both at the same time.
	const persistence = new IndexedDbPersistence();
	const [SQL, saved] = await Promise.all([
		loadSqlJs(async () => wasm ?? fetch(wasmUrl)),
		image !== undefined ? image : persistence.loadImage()
	]);
	workspace = await Workspace.open(SQL, persistence, saved ?? null);
	return { restored: !!saved };
})();
const ws = async () => (await ready, workspace);

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
	const { openFile, blobReader, treeFromFiles } = await loadTasks();
	if (input.kind === 'file') return openFile(input.file.name, blobReader(input.file), inflateWorker(input.file));
	return treeFromFiles(input.name, input.files);
}

/** Series cross to the page packed in three transferred buffers (series-transfer.ts). */
const transferSeries = (all: Record<string, Series>) => new SeriesRecord(all) as unknown as Record<string, Series>;

const transferBytes = (bytes: Uint8Array) => Comlink.transfer(bytes, [bytes.buffer as ArrayBuffer]);

const api: StoreApi = {
	boot: (inputs) => boot(inputs),
	ready: () => ready,
	async warmUp() {
		await ready;
		void loadTasks();
		if (canNest) spareInflater ??= spawnInflater();
	},
	importInput: async (input, onProgress) => (await ws()).importTree(await treeOf(input), onProgress),
	async importDemo() {
		const { treeFromMap, demoFileStore } = await loadTasks();
		return (await ws()).importTree(treeFromMap('Trackside demo', demoFileStore()));
	},
	cancelImport: () => workspace?.cancelImport(),
	clearAll: async () => (await ws()).clear(),
	async storage() {
		const estimate = await navigator.storage?.estimate?.().catch(() => undefined);
		const persisted = (await navigator.storage?.persisted?.().catch(() => false)) ?? false;
		return { usage: estimate?.usage ?? null, quota: estimate?.quota ?? null, persisted, imageBytes: (await ws()).imageBytes };
	},
	edit: async (op) => (await ws()).edit(op),
	onExternalChange: async (callback) => (await ws()).onExternalChange(callback),
	flush: async () => (await ws()).flush(),
	sources: () => workspace.queries.sources(),
	searchExperiments: (view, search) => workspace.queries.experiments(view, search),
	experiment: (id) => workspace.queries.experiment(id),
	savedViews: (id) => workspace.queries.savedViews(id),
	runs: (experimentId, view, limit) => workspace.queries.runsJson({ experimentIds: [experimentId], view, limit }) as JsonText<Run[]>,
	runsById: (runIds) => workspace.queries.runsJson({ runIds, view: 'all' }) as JsonText<Run[]>,
	run: (runId) => workspace.queries.run(runId),
	runHeads: (runIds) => workspace.queries.runHeads(runIds),
	metricKeysOf: (runIds) => workspace.queries.metricKeysOf(runIds),
	searchRunIds(search) {
		const t0 = performance.now();
		const ids = workspace.queries.searchRunIds(search);
		return { ids, ms: performance.now() - t0 };
	},
	metricKeys: (runId) => workspace.queries.metricKeys(runId),
	metricRanges: (experimentId) => workspace.queries.metricRanges(experimentId),
	metricHistories: async (runId) => transferSeries(await workspace.source.histories(runId)),
	metricSeries: async (runIds, key) => transferSeries(await workspace.source.series(runIds, key)),
	metricSummaries: (runIds) => workspace.queries.metricSummaries(runIds),
	async remoteExperiments(connection) {
		const { listExperiments, MlflowClient } = await loadTasks();
		return listExperiments(new MlflowClient({ ...connection, origin: self.location.origin }));
	},
	async pullRemote(connection, plan, onProgress) {
		const { MlflowClient } = await loadTasks();
		const client = new MlflowClient({ ...connection, origin: self.location.origin });
		return (await ws()).pull(client, connection.url, plan, (p) => onProgress?.(p));
	},
	exportFile: async (selection, format) => transferBytes(await (await ws()).exportFile(selection, format)),
	loggedModels: (runId) => workspace.queries.loggedModels(runId),
	loggedModel: (modelId) => workspace.queries.loggedModel(modelId),
	loggedModelsOf: (experimentId) => workspace.queries.loggedModelsOf(experimentId),
	loggedModelCount: (experimentId) => workspace.queries.loggedModelCount(experimentId),
	registeredModel: (name) => workspace.queries.registeredModel(name),
	childRuns: (runId) => workspace.queries.childRuns(runId),
	modelVersions: (filter) => workspace.queries.modelVersions(filter),
	searchModelVersions: (search) => workspace.queries.modelVersions(search),
	searchRegisteredModels: (search) => workspace.queries.registeredModels(search),
	artifacts: (ownerId) => workspace.queries.artifacts(ownerId),
	artifact: (ownerId, path) => workspace.source.artifact(ownerId, path),
	async openSnapshot(source, onProgress) {
		const { blobReader } = await loadTasks();
		const given = 'url' in source ? source : { name: source.file.name, reader: blobReader(source.file) };
		return (await ws()).openSnapshot(given, (done, total) => onProgress?.(done, total));
	},
	makeSnapshot: async (selection, artifacts, onProgress) =>
		transferBytes(await (await ws()).makeSnapshot(selection, artifacts, onProgress)),
	copySnapshotIntoWorkspace: async () => (await ws()).copySnapshot(),
	closeSnapshot: () => workspace?.closeSnapshot(),
	snapshotInfo: () => workspace?.snapshotInfo() ?? null,
	searchPrompts: (search) => workspace.queries.prompts(search),
	prompt: (name) => workspace.queries.prompt(name),
	traceCounts: () => Object.fromEntries(workspace.queries.traceCounts()),
	searchTraceIds(search) {
		const t0 = performance.now();
		const ids = workspace.queries.searchTraceIds(search);
		return { ids, ms: performance.now() - t0 };
	},
	traceRows: (traceIds) => workspace.queries.traceRows(traceIds),
	traceColumns: (experimentId) => workspace.queries.traceColumns(experimentId),
	traceDetail: (traceId) => workspace.queries.traceDetail(traceId),
	spanChunk: (traceId, chunk) => workspace.source.spanChunk(traceId, chunk),
	sessions: (experimentId) => workspace.queries.sessions(experimentId),
	sessionTurns: (experimentId, session) => workspace.queries.sessionTurns(experimentId, session),
	runTraceCount: (runId) => workspace.queries.runTraceCount(runId),
	scorers: (experimentId) => workspace.queries.scorers(experimentId),
	assessmentMetrics: (runIds) => workspace.queries.assessmentMetrics(runIds),
	evaluationDatasets: (experimentId) => workspace.queries.evaluationDatasets(experimentId),
	datasetRecords: (datasetId) => workspace.queries.datasetRecords(datasetId)
};

Comlink.expose(api);
