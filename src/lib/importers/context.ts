/** What every importer gets: the writer, the report it fills, progress and cancellation. */
import { UserError } from '../errors';
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

export interface ImportOptions {
	/** Polled between runs and files; set `cancelled` to stop the import with nothing changed. */
	cancel?: { cancelled: boolean };
	onProgress?: (p: ImportProgress) => void;
	/** Persists an artifact's bytes (IndexedDB in the browser). Without it, artifacts are only indexed. */
	saveArtifact?: (ownerId: string, path: string, file: SourceFile) => Promise<void>;
	/** Time of the import (ms), injectable for reproducible tests. */
	now?: number;
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
