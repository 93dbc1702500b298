/** The store worker's API, shared by the worker (which implements it) and the client (which calls it). */
import type { SavedImage } from '../lib/workspace/persistence';
import type { ImportProgress, ImportReport } from '../lib/importers/context';
import type {
	ArtifactRow,
	DatasetRecordRow,
	EvaluationDatasetRow,
	ExperimentSummary,
	SavedView,
	LoggedModelDetail,
	LoggedModelListRow,
	LoggedModelRow,
	MetricKey,
	MetricRange,
	PromptDetail,
	RunHead,
	RunSearch,
	ScorerRow,
	SessionRow,
	SessionTurn,
	SourceRow,
	TraceDetail,
	TraceRow,
	TraceSearch,
	ViewType
} from '../lib/db/queries';
import type { Experiment, ModelVersion, RegisteredModel, Run } from '../lib/db/rest-types';
import type { Series } from '../lib/db/series-codec';
import type { EditOp, EditResult } from '../lib/db/edits';
import type { Selection } from '../lib/export/collect';
import type { ExportFormat } from '../lib/export';
import type { Auth } from '../lib/remote/client';
import type { PullPlan, PullProgress } from '../lib/remote/pull';
import type { SnapshotInfo } from '../lib/workspace/workspace';

export type { SnapshotInfo } from '../lib/workspace/workspace';

export interface Connection {
	url: string;
	auth: Auth;
}

export type ImportInput = { kind: 'file'; file: File } | { kind: 'folder'; name: string; files: { file: File; path: string }[] };

export interface StorageInfo {
	usage: number | null;
	quota: number | null;
	persisted: boolean;
	imageBytes: number;
}

/** A search's run ids in order, and how long the worker took. */
export interface RunSearchResult {
	ids: string[];
	ms: number;
}

/**
 * What the page fetches for the worker while the worker's script loads (client/store.svelte.ts):
 * the compiled sql.js wasm and the saved image. Either may be missing (the page could not get it);
 * the worker then gets it itself.
 */
export interface BootInputs {
	wasm?: WebAssembly.Module;
	/** The saved image, null when there is none, undefined when the page could not read it. */
	image?: SavedImage | null;
}

/**
 * A value sent as JSON text rather than as objects. postMessage's structured clone of 10,000 runs
 * (300,000 small objects) took 146 ms; the copy of one string and JSON.parse take less, and only
 * the parse is on the page's thread. Runs' JSON is written by SQLite itself (Queries.runsJson).
 */
export type JsonText<T> = string & { readonly __json?: T };
export const fromJson = <T>(text: JsonText<T>): T => JSON.parse(text) as T;

export interface StoreApi {
	/** The first call: hands over what the page fetched for the worker (see BootInputs). */
	boot(inputs: BootInputs): void;
	/** Resolves once the store is restored from IndexedDB and queries can run. */
	ready(): Promise<{ restored: boolean }>;
	/** Called when another tab changed the store and this tab's store caught up with it. */
	onExternalChange(callback: () => void): void;
	/** Loads what imports need ahead of one (asked by the import panel, not by every page). */
	warmUp(): Promise<void>;
	importInput(input: ImportInput, onProgress?: (p: ImportProgress) => void): Promise<ImportReport>;
	importDemo(): Promise<ImportReport>;
	cancelImport(): void;
	clearAll(): Promise<void>;
	storage(): Promise<StorageInfo>;

	/** A local edit; a refused one throws (EditError, ReadOnlyError) and changes nothing. Saved shortly after. */
	edit(op: EditOp): Promise<EditResult>;
	/** Waits for pending edits to be saved; resolves with the save error, if any. */
	flush(): Promise<string | null>;
	sources(): SourceRow[];
	/** experiments/search with MLflow's filter and order_by; a SearchError says what does not parse. */
	searchExperiments(view: ViewType, search: { filter?: string; orderBy?: string[] }): ExperimentSummary[];
	experiment(id: string): Experiment | undefined;
	savedViews(experimentId: string): SavedView[];
	/** As JSON text (see JsonText); with `limit`, only the first runs in the default order. */
	runs(experimentId: string, view: ViewType, limit?: number): JsonText<Run[]>;
	/** Id, name and experiment of the runs that exist, in no order: cheap for 20,000 (a comparison's charts). */
	runHeads(runIds: string[]): RunHead[];
	/** Every metric key the runs logged, sorted. */
	metricKeysOf(runIds: string[]): string[];
	/** Runs by id, across experiments, deleted or not (the comparison view). */
	runsById(runIds: string[]): JsonText<Run[]>;
	/** runs/search's order of run ids; a SearchError (details: start, end, field) says what does not parse. */
	searchRunIds(search: RunSearch): RunSearchResult;
	run(runId: string): Run | undefined;
	metricKeys(runId: string): MetricKey[];
	metricRanges(experimentId: string): MetricRange[];
	metricHistories(runId: string): Promise<Record<string, Series>>;
	/** One metric's history for each of the runs that logged it, by run id (buffers transferred). */
	metricSeries(runIds: string[], key: string): Promise<Record<string, Series>>;
	metricSummaries(runIds: string[]): (MetricRange & { point_count: number })[];
	/** A tracking server's experiments (GET experiments/search); a RemoteError says what went wrong. */
	remoteExperiments(connection: Connection): Promise<{ experiment_id: string; name: string; lifecycle_stage: string }[]>;
	/**
	 * Pulls the chosen experiments (runs, histories, registry) and imports them in one transaction.
	 * A failed or cancelled pull changes nothing; pulling the same server again resumes it.
	 */
	pullRemote(connection: Connection, plan: PullPlan, onProgress?: (p: PullProgress) => void): Promise<ImportReport>;
	/** The selection in one of MLflow's formats: a zip or an mlflow.db (bytes transferred). */
	exportFile(selection: Selection, format: ExportFormat): Promise<Uint8Array>;
	loggedModel(modelId: string): LoggedModelDetail | undefined;
	/** An experiment's MLflow 3 logged models (its Models tab), with metrics, params, tags and registered versions. */
	loggedModelsOf(experimentId: string): LoggedModelListRow[];
	loggedModelCount(experimentId: string): number;
	/** The runs nested under a run (mlflow.parentRunId), in any lifecycle. */
	childRuns(runId: string): Run[];
	/** registered-models/get: one model by name. */
	registeredModel(name: string): RegisteredModel | undefined;
	loggedModels(runId: string): LoggedModelRow[];
	modelVersions(filter: { runId?: string; name?: string }): ModelVersion[];
	/** model-versions/search with MLflow's filter (section E grammar) and order_by; errors are SearchError. */
	searchModelVersions(search: { name?: string; filter?: string; orderBy?: string[] }): ModelVersion[];
	/** registered-models/search with MLflow's filter and order_by; errors are SearchError. */
	searchRegisteredModels(search: { filter?: string; orderBy?: string[] }): RegisteredModel[];
	artifacts(ownerId: string): ArtifactRow[];
	artifact(ownerId: string, path: string): Promise<Blob | undefined>;
	/**
	 * Opens a snapshot read-only in place of the user's store (untouched, back on close): from a
	 * URL (by HTTP ranges when the host serves them) or a local file. Refused with a reason when
	 * it is not a snapshot, is corrupt or altered, or comes from a newer Trackside.
	 */
	openSnapshot(source: { url: string } | { file: File }, onProgress?: (done: number, total: number) => void): Promise<SnapshotInfo>;
	closeSnapshot(): void;
	/** A snapshot of experiments or runs of the local store (bytes transferred); see snapshot/format.ts. */
	makeSnapshot(
		selection: Selection,
		artifacts: 'none' | 'all' | number,
		onProgress?: (done: number, total: number) => void
	): Promise<Uint8Array>;
	/** Imports the open snapshot into the local store (one transaction, one report) and closes it. */
	copySnapshotIntoWorkspace(): Promise<ImportReport>;
	snapshotInfo(): SnapshotInfo | null;

	/** The prompt registry: prompts (registered models tagged mlflow.prompt.is_prompt) with MLflow's filter. */
	searchPrompts(search: { filter?: string; orderBy?: string[] }): RegisteredModel[];
	/** A prompt's versions (templates), aliases and where each version was used. */
	prompt(name: string): PromptDetail | undefined;

	/** Traces per experiment id (experiments without traces are absent). */
	traceCounts(): Record<string, number>;
	/** search_traces' order of trace ids; a SearchError says what does not parse. */
	searchTraceIds(search: TraceSearch): RunSearchResult;
	/** List rows of these traces, in that order. */
	traceRows(traceIds: string[]): TraceRow[];
	/** Assessment names and user tag keys of an experiment's traces (the list's optional columns). */
	traceColumns(experimentId: string): { assessments: string[]; tags: string[] };
	traceDetail(traceId: string): TraceDetail | undefined;
	/** One chunk of a trace's span JSON (a JSON array of span dicts), from the store or the open snapshot. */
	spanChunk(traceId: string, chunk: number): Promise<string | undefined>;
	sessions(experimentId: string): SessionRow[];
	/** A session's traces in time order, with whole requests and responses. */
	sessionTurns(experimentId: string, session: string): SessionTurn[];
	/** An experiment's registered judges and scorers, with every version's definition. */
	scorers(experimentId: string): ScorerRow[];
	/** Runs' assessment aggregates as metrics (`assessments/<name>`), for the comparison. */
	assessmentMetrics(runIds: string[]): Record<string, { key: string; value: number }[]>;
	/** MLflow 3 evaluation datasets of an experiment, with their record counts. */
	evaluationDatasets(experimentId: string): EvaluationDatasetRow[];
	/** A dataset's records (the first 1,000). */
	datasetRecords(datasetId: string): DatasetRecordRow[];
	/** A run's traces: how many, and in which experiment. */
	runTraceCount(runId: string): { experiment_id: string; count: number } | undefined;
}
