/** What every importer gets: the writer, the report it fills, progress and cancellation. */
import { UserError } from '../errors';
import { formatBytes } from '../format';
import type { ImportWriter } from '../db/writer';
import type { SourceFile } from '../sources/tree';

export interface ImportCounts {
	experiments: number;
	runs: number;
	metricPoints: number;
	datasets: number;
	registeredModels: number;
	modelVersions: number;
	loggedModels: number;
	artifacts: number;
	artifactBytes: number;
	/** GenAI traces, their spans and assessments (absent in reports of imports before traces were read). */
	traces?: number;
	spans?: number;
	assessments?: number;
	/** MLflow 3 evaluation datasets and their records. */
	evaluationDatasets?: number;
	datasetRecords?: number;
	/** Registered judges and scorers (read-only). */
	scorers?: number;
	/** Of experiments and runs, how many are deleted (listed in the Deleted views, not the default one). */
	deletedExperiments?: number;
	deletedRuns?: number;
}

export interface SkippedItem {
	path: string;
	reason: string;
}

export interface ImportReport {
	source: string;
	/** One line per store found, e.g. "mlruns folder app/mlruns". */
	found: string[];
	imported: ImportCounts;
	skipped: SkippedItem[];
	/** Things the user should know that did not drop data, e.g. a recovered experiment. */
	notes: string[];
}

export interface ImportProgress {
	phase: 'scanning' | 'reading' | 'artifacts' | 'saving';
	bytesDone: number;
	bytesTotal: number;
	runsDone: number;
	runsTotal: number;
}

export class ImportCancelled extends UserError {
	constructor() {
		super('import cancelled; nothing was changed', 'cancelled');
	}
}

/**
 * An import that would grow the store past what a tab can hold: refused while it runs (the
 * transaction rolls back), before the tab runs out of memory and loses everything.
 */
export class StoreTooBigError extends UserError {
	constructor(source: string, bytes: number, max: number, fraction: number) {
		super(
			`${source} is too big for this tab's store: it reached ${formatBytes(bytes)}, over the ${formatBytes(max)} a browser tab can hold, after ${Math.round(fraction * 100)}% of it was read. Nothing was imported. Import part of it (an experiment folder, or fewer runs), or keep the data on a tracking server and pull the experiments you need.`,
			'too-big',
			{ bytes, max }
		);
	}
}

/** Input read between two checks of the store's size (a check reads two pragmas). */
const SIZE_CHECK_BYTES = 32 * 2 ** 20;

export interface ImportOptions {
	/** Polled between runs and files; set `cancelled` to stop the import with nothing changed. */
	cancel?: { cancelled: boolean };
	onProgress?: (p: ImportProgress) => void;
	/** Persists an artifact's bytes (IndexedDB in the browser). Without it, artifacts are only indexed. */
	saveArtifact?: (ownerId: string, path: string, file: SourceFile) => Promise<void>;
	/** Time of the import (ms), injectable for reproducible tests. */
	now?: number;
	/** The largest store (bytes of its images) the import may leave; past it the import is refused. */
	maxStoreBytes?: number;
}

export class ImportContext {
	readonly report: ImportReport;
	/**
	 * Artifact folders an importer placed by its own layout (folder path ending in '/' -> run id),
	 * for those the artifacts pass cannot place by path alone.
	 */
	readonly artifactDirs = new Map<string, string>();
	private progress: ImportProgress = { phase: 'scanning', bytesDone: 0, bytesTotal: 0, runsDone: 0, runsTotal: 0 };
	private lastEmit = 0;

	constructor(
		readonly writer: ImportWriter,
		source: string,
		readonly options: ImportOptions
	) {
		this.report = {
			source,
			found: [],
			imported: {
				experiments: 0,
				runs: 0,
				metricPoints: 0,
				datasets: 0,
				registeredModels: 0,
				modelVersions: 0,
				loggedModels: 0,
				artifacts: 0,
				artifactBytes: 0
			},
			skipped: [],
			notes: []
		};
	}

	get counts(): ImportCounts {
		return this.report.imported;
	}

	skip(path: string, reason: string): void {
		this.report.skipped.push({ path, reason });
	}

	note(text: string): void {
		this.report.notes.push(text);
	}

	/** Throws ImportCancelled when the user cancelled; call between units of work. */
	check(): void {
		if (this.options.cancel?.cancelled) throw new ImportCancelled();
	}

	plan(phase: ImportProgress['phase'], bytes: number, runs: number): void {
		this.progress.phase = phase;
		this.progress.bytesTotal += bytes;
		this.progress.runsTotal += runs;
		this.emit(true);
	}

	advance(bytes: number, runs = 0): void {
		this.progress.bytesDone += bytes;
		this.progress.runsDone += runs;
		this.emit(false);
		if ((this.sinceSizeCheck += bytes) >= SIZE_CHECK_BYTES) this.checkSize();
	}

	private sinceSizeCheck = 0;

	/** Refuses the import once the store outgrows `maxStoreBytes` (StoreTooBigError). */
	checkSize(): void {
		this.sinceSizeCheck = 0;
		const max = this.options.maxStoreBytes;
		if (max === undefined) return;
		const bytes = this.writer.storeBytes();
		if (bytes > max) {
			const { bytesDone, bytesTotal } = this.progress;
			throw new StoreTooBigError(this.report.source, bytes, max, bytesTotal ? Math.min(1, bytesDone / bytesTotal) : 1);
		}
	}

	phase(phase: ImportProgress['phase']): void {
		this.progress.phase = phase;
		this.emit(true);
	}

	// Progress goes over postMessage; ~20 updates a second keeps the bar smooth without flooding.
	private emit(force: boolean): void {
		const now = Date.now();
		if (!force && now - this.lastEmit < 50) return;
		this.lastEmit = now;
		this.options.onProgress?.({ ...this.progress });
	}
}
