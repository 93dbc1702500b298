/**
 * A workspace: sql.js, the user's store, where it is kept (a Persistence), and a snapshot open
 * read-only in its place. Every flow around the store lives here, once, for the browser worker and
 * the CLI alike: imports (one lock, one transaction, rollback, artifact cleanup), local edits and
 * their saving, pulls, exports, snapshots, and catching up with other tabs.
 */
import type { SqlJsStatic } from 'sql.js';
import { UserError } from '../errors';
import { ReadOnlyError, Store } from '../db/store';
import { artifactKey, type Queries } from '../db/queries';
import { SCHEMA_VERSION } from '../db/schema';
import type { EditOp, EditResult } from '../db/edits';
import type { ImportOptions, ImportReport } from '../importers/context';
import type { ByteReader, SourceTree } from '../sources/tree';
import type { HttpReader } from '../sources/http';
import type { OpenedSnapshot } from '../snapshot/open';
import { readOnlyMessage, type SnapshotManifest } from '../snapshot/format';
import type { Selection } from '../export/collect';
import type { ExportFormat } from '../export';
import type { MlflowClient } from '../remote/client';
import type { PullPlan, PullProgress, PullState } from '../remote/pull';
import { loadTasks } from './load-tasks';
import { localSource, snapshotSource, type SeriesSource } from './series-source';
import type { Persistence, SavedImage } from './persistence';

/** An open snapshot: what it holds, and how much of it has been fetched. */
export interface SnapshotInfo {
	name: string;
	manifest: SnapshotManifest;
	size: number;
	fetched: number;
	/** Read by HTTP ranges (else downloaded whole, or a local file). */
	ranged: boolean;
}

export type SnapshotArtifacts = 'none' | 'all' | number;

/** A failed save is tried again this often (and on the next edit) until it succeeds. */
const RETRY_MS = 5000;

export class Workspace {
	private store: Store;
	/** The generation of the saved image this store is (see Persistence). */
	private generation: number;
	/** The generation of the saved bulk image this store's bulk file is (see Persistence). */
	private bulkGeneration: number | undefined;
	private savedBytes: number;
	/** The size of the saved bulk image (0 until this tab saves or reads one). */
	private bulkBytes = 0;
	/** Edits applied to this store and not saved yet (replayed over a newer image from another tab). */
	private pending: EditOp[] = [];
	private cancel: { cancelled: boolean } | undefined;
	private externalChange: (() => void) | undefined;
	private saving: Promise<void> = Promise.resolve();
	private saveError: string | null = null;
	private retryTimer: ReturnType<typeof setTimeout> | undefined;
	private snapshot: { opened: OpenedSnapshot; reader: ByteReader | HttpReader } | undefined;
	/** What pulls fetched before failing, by server URL: pulling again resumes from there. */
	private pullStates = new Map<string, PullState>();
	private readonly local: SeriesSource;
	/** Orphan artifacts swept (see open); imports wait for it. */
	private swept: Promise<void> = Promise.resolve();

	private constructor(
		readonly SQL: SqlJsStatic,
		readonly persistence: Persistence,
		image: SavedImage | undefined
	) {
		this.store = Store.open(SQL, image?.bytes, persistence.splitsBulk ? (image?.bulk ?? null) : undefined);
		this.generation = image?.generation ?? 0;
		this.bulkGeneration = image?.bulkGeneration;
		this.bulkBytes = image?.bulk?.length ?? 0;
		this.savedBytes = (image?.bytes.length ?? 0) + this.bulkBytes;
		this.local = localSource(() => this.store, persistence);
		persistence.onAnnounce((generation) => {
			if (generation <= this.generation) return;
			void persistence.exclusive(() => this.catchUp()).then((changed) => changed && this.externalChange?.());
		});
	}

	/**
	 * Opens the saved store (or `image`, when the caller read it already; null: there is none).
	 * Artifacts no entity points to (left by an import that failed after writing them) are then
	 * deleted off every page's path; a failed sweep only leaves them for the next open.
	 */
	static async open(SQL: SqlJsStatic, persistence: Persistence, image?: SavedImage | null): Promise<Workspace> {
		const saved = image === undefined ? await persistence.loadImage() : (image ?? undefined);
		const workspace = new Workspace(SQL, persistence, saved);
		if (saved) workspace.swept = workspace.sweep().catch(() => {});
		// An image from before the bulk file: its big tables moved out; saved so that it happens once.
		if (saved && workspace.store.movedToBulk) await persistence.exclusive(() => workspace.save()).catch(() => {});
		return workspace;
	}

	private async sweep(): Promise<void> {
		const kept = new Set(this.store.queries.artifactKeys());
		await this.persistence.deleteArtifacts((await this.persistence.artifactKeys()).filter((k) => !kept.has(k)));
	}

	/** The queries of what is shown: the open snapshot, else the user's store. */
	get queries(): Queries {
		return (this.snapshot?.opened.store ?? this.store).queries;
	}

	/** Where series and artifacts of what is shown come from. */
	get source(): SeriesSource {
		return this.snapshot ? snapshotSource(this.snapshot.opened) : this.local;
	}

	/** The size of the last saved image. */
	get imageBytes(): number {
		return this.savedBytes;
	}

	/** Called when another tab saved and this workspace caught up with it. */
	onExternalChange(callback: () => void): void {
		this.externalChange = callback;
	}

	private refuseInSnapshot(): void {
		if (this.snapshot) throw new ReadOnlyError(readOnlyMessage(this.snapshot.opened.name));
	}

	/** Inside the lock: loads the saved image if another tab saved a newer one. True when it did. */
	private async catchUp(): Promise<boolean> {
		if ((await this.persistence.imageGeneration()) <= this.generation) return false;
		await this.reload();
		return true;
	}

	/** Inside the lock: back to the saved image (or an empty store), with this tab's unsaved edits over it. */
	private async reload(): Promise<void> {
		// The bulk file is kept when it is the saved one: another tab's edit rewrote only the main image.
		const held = this.store.bulkChanged() ? undefined : this.bulkGeneration;
		const saved = await this.persistence.loadImage(held);
		const keep = saved !== undefined && !saved.bulk && saved.bulkGeneration !== undefined && saved.bulkGeneration === held;
		const bulkFile = this.store.close(keep);
		this.store = Store.open(this.SQL, saved?.bytes, this.persistence.splitsBulk ? (bulkFile ?? saved?.bulk ?? null) : undefined);
		this.generation = saved?.generation ?? 0;
		this.bulkGeneration = saved?.bulkGeneration;
		if (!keep) this.bulkBytes = saved?.bulk?.length ?? 0;
		this.savedBytes = (saved?.bytes.length ?? 0) + this.bulkBytes;
		for (const op of this.pending) {
			try {
				await this.store.edit(op);
			} catch {
				// An edit the other tab made impossible (its run deleted there) is dropped with it.
			}
		}
	}

	/** Inside the lock: writes the image as the next generation and tells the other tabs. */
	private async save(): Promise<void> {
		if (!this.persistence.splitsBulk) {
			const image = this.store.export();
			await this.persistence.saveImage(image, SCHEMA_VERSION, this.generation + 1);
			this.savedBytes = image.length;
		} else {
			// The main image always; the bulk image (series, span JSON: most of the bytes) only when changed.
			const { main, bulk } = this.store.exportParts();
			await this.persistence.saveImage(main, SCHEMA_VERSION, this.generation + 1, bulk?.bytes);
			if (bulk) {
				this.store.bulkSaved(bulk.version);
				this.bulkGeneration = this.generation + 1;
				this.bulkBytes = bulk.bytes.length;
			}
			this.savedBytes = main.length + this.bulkBytes;
		}
		this.generation++;
		this.pending = [];
		this.persistence.announce(this.generation);
	}

	private async trySave(): Promise<void> {
		clearTimeout(this.retryTimer);
		if (this.pending.length === 0) return;
		try {
			await this.save();
			this.saveError = null;
		} catch (e) {
			this.saveError = this.persistence.isQuotaError(e)
				? 'Not enough storage space to save your changes: they are kept in this tab and saved as soon as there is room. Free space in the browser, or keep this tab open.'
				: `Your changes could not be saved yet (${(e as Error).message}); they are kept in this tab and saving is retried.`;
			this.retryTimer = setTimeout(() => void (this.saving = this.persistence.exclusive(() => this.trySave())), RETRY_MS);
		}
	}

	/** Waits for the edits' saves; resolves with why saving failed, if it did (it is retried). */
	flush(): Promise<string | null> {
		return this.saving.then(() => this.saveError);
	}

	/**
	 * A local edit, answered as soon as it is applied; its save follows in the same turn of the
	 * lock. A refused edit throws (EditError, ReadOnlyError) and changes nothing. A failed save
	 * keeps the edit pending and is retried, so the edit is kept until it is saved.
	 */
	async edit(op: EditOp): Promise<EditResult> {
		this.refuseInSnapshot();
		return new Promise<EditResult>((resolve, reject) => {
			this.saving = this.persistence.exclusive(async () => {
				if (await this.catchUp()) this.externalChange?.();
				// Artifact bytes live beside the image: those a removed source alone pointed to go after the save.
				const artifactsBefore = op.op === 'removeSource' ? this.store.queries.artifactKeys() : [];
				try {
					const result = await this.store.edit(op);
					this.pending.push(op);
					resolve(result);
				} catch (e) {
					reject(e instanceof UserError ? e : new UserError(`The edit failed: ${(e as Error).message}`, 'edit'));
					return;
				}
				await this.trySave();
				if (artifactsBefore.length && !this.saveError) {
					const kept = new Set(this.store.queries.artifactKeys());
					await this.persistence.deleteArtifacts(artifactsBefore.filter((k) => !kept.has(k))).catch(() => {});
				}
			});
		});
	}

	/** Imports one tree (see importTrees). */
	async importTree(tree: SourceTree, onProgress?: ImportOptions['onProgress']): Promise<ImportReport> {
		return (await this.importTrees([tree], onProgress))[0];
	}

	/**
	 * Imports trees, each in its own transaction, and saves once. On any failure (bad input, a
	 * cancel, a full disk) the store is as it was: the transaction rolls back, artifacts written
	 * for the import are removed, and trees imported before the failure are dropped by reloading
	 * the saved image. The trees are closed either way.
	 */
	async importTrees(trees: SourceTree[], onProgress?: ImportOptions['onProgress']): Promise<ImportReport[]> {
		try {
			this.refuseInSnapshot();
			return await this.cancellable((cancel) => this.persistence.exclusive(() => this.importLocked(trees, cancel, onProgress)));
		} finally {
			for (const tree of trees) await tree.close?.();
		}
	}

	private async importLocked(
		trees: SourceTree[],
		cancel: { cancelled: boolean },
		onProgress?: ImportOptions['onProgress']
	): Promise<ImportReport[]> {
		await this.swept;
		if (await this.catchUp()) this.externalChange?.();
		const { importTree } = await loadTasks();
		const written: string[] = [];
		let committed = false;
		try {
			const reports: ImportReport[] = [];
			for (const tree of trees) {
				reports.push(
					await importTree(this.SQL, this.store, tree, {
						cancel,
						onProgress,
						maxStoreBytes: this.persistence.maxStoreBytes,
						saveArtifact: !this.persistence.keepsArtifacts
							? undefined
							: async (owner, path, file) => {
									const key = artifactKey(owner, path);
									await this.persistence.putArtifact(key, new Blob([(await file.bytes()) as BlobPart]));
									written.push(key);
								}
					})
				);
				committed = true;
			}
			const runs = reports.reduce((n, r) => n + r.imported.runs, 0);
			onProgress?.({ phase: 'saving', bytesDone: 1, bytesTotal: 1, runsDone: runs, runsTotal: runs });
			await this.save();
			return reports;
		} catch (e) {
			if (committed) await this.reload();
			const kept = new Set(this.store.queries.artifactKeys());
			await this.persistence.deleteArtifacts(written.filter((k) => !kept.has(k))).catch(() => {});
			if (this.persistence.isQuotaError(e)) {
				throw new UserError(
					'Not enough storage space for this import: nothing was changed. Free space in the browser (or clear old data) and try again.',
					'storage'
				);
			}
			throw e;
		}
	}

	/**
	 * Runs one import or pull at a time: refused as busy while another runs (checked and claimed
	 * before any await, so two cannot both pass), cancelled by cancelImport.
	 */
	private async cancellable<T>(run: (cancel: { cancelled: boolean }) => Promise<T>): Promise<T> {
		if (this.cancel) throw new UserError('Another import or pull is running: wait for it or cancel it.', 'busy');
		const cancel = (this.cancel = { cancelled: false });
		try {
			return await run(cancel);
		} finally {
			this.cancel = undefined;
		}
	}

	cancelImport(): void {
		if (this.cancel) this.cancel.cancelled = true;
	}

	/**
	 * Pulls experiments (runs, histories, registry) from a tracking server and imports them as
	 * one import. A failed or cancelled pull changes nothing; pulling the same server again resumes.
	 */
	async pull(client: MlflowClient, url: string, plan: PullPlan, onProgress?: (p: PullProgress) => void): Promise<ImportReport> {
		this.refuseInSnapshot();
		const { newPullState, pull, treeFromMap } = await loadTasks();
		const pulled = await this.cancellable((cancel) => {
			const state = this.pullStates.get(url) ?? newPullState();
			this.pullStates.set(url, state);
			return pull(client, plan, (ids) => this.store.queries.knownRuns(ids), state, onProgress, cancel);
		});
		const report = await this.importTree(treeFromMap(`pull from ${url}`, pulled.files));
		report.notes.push(...pulled.notes);
		this.pullStates.delete(url);
		return report;
	}

	/** What a failed pull from `url` fetched, kept for the next pull to resume from (none after a success). */
	pullState(url: string): PullState | undefined {
		return this.pullStates.get(url);
	}

	/** Empties the store and its artifacts; the other tabs empty theirs too. */
	async clear(): Promise<void> {
		this.refuseInSnapshot();
		await this.persistence.exclusive(async () => {
			await this.persistence.clear();
			this.store.close();
			this.store = Store.open(this.SQL, undefined, this.persistence.splitsBulk ? null : undefined);
			this.bulkGeneration = undefined;
			this.pending = [];
			await this.save();
		});
	}

	/** The selection in one of MLflow's formats (a zip or an mlflow.db). */
	async exportFile(selection: Selection, format: ExportFormat): Promise<Uint8Array> {
		this.refuseInSnapshot();
		return (await loadTasks()).exportFile(this.SQL, this.store, selection, format);
	}

	private snapshotOptions(selection: Selection, artifacts: SnapshotArtifacts) {
		return {
			...selection,
			artifacts,
			readArtifact: async (owner: string, path: string) => {
				const blob = await this.persistence.getArtifact(artifactKey(owner, path));
				return blob && new Uint8Array(await blob.arrayBuffer());
			}
		};
	}

	/** A snapshot of (part of) the user's store, in memory; see snapshot/format.ts. */
	async makeSnapshot(
		selection: Selection,
		artifacts: SnapshotArtifacts,
		onProgress?: (done: number, total: number) => void
	): Promise<Uint8Array> {
		this.refuseInSnapshot();
		return (await loadTasks()).buildSnapshot(this.SQL, this.store, { ...this.snapshotOptions(selection, artifacts), onProgress });
	}

	/** The same, streamed to `sink` chunk by chunk (a snapshot of gigabytes never sits in memory). */
	async writeSnapshot(selection: Selection, artifacts: SnapshotArtifacts, sink: (chunk: Uint8Array) => void): Promise<void> {
		this.refuseInSnapshot();
		await (await loadTasks()).writeSnapshot(this.SQL, this.store, this.snapshotOptions(selection, artifacts), sink);
	}

	/**
	 * Opens a snapshot read-only in place of the user's store (untouched, back on close): from a
	 * URL (by HTTP ranges when the host serves them) or any reader. Refused with a SnapshotError
	 * when it is not a snapshot, is corrupt or altered, or comes from a newer Trackside.
	 */
	async openSnapshot(
		source: { url: string } | { name: string; reader: ByteReader },
		onProgress?: (done: number, total: number) => void
	): Promise<SnapshotInfo> {
		const { httpReader, openSnapshot, snapshotUrl } = await loadTasks();
		// Progress matters only for hosts without ranges, where the whole file is downloaded first.
		const reader = 'url' in source ? await httpReader(snapshotUrl(source.url), { onProgress }) : source.reader;
		const name = 'url' in source ? source.url : source.name;
		this.snapshot = { opened: await openSnapshot(this.SQL, name, reader), reader };
		return this.snapshotInfo()!;
	}

	closeSnapshot(): void {
		this.snapshot = undefined;
	}

	snapshotInfo(): SnapshotInfo | null {
		if (!this.snapshot) return null;
		const { opened, reader } = this.snapshot;
		const http = reader as Partial<HttpReader>;
		return {
			name: opened.name,
			manifest: opened.manifest,
			size: reader.size,
			fetched: http.fetched?.() ?? reader.size,
			ranged: http.ranged ?? false
		};
	}

	/** Imports the open snapshot into the user's store (one transaction, one report) and closes it. */
	async copySnapshot(): Promise<ImportReport> {
		if (!this.snapshot) throw new UserError('No snapshot is open.', 'snapshot');
		const { snapshotAsFileStore, treeFromMap } = await loadTasks();
		const { opened } = this.snapshot;
		const files = await snapshotAsFileStore(this.SQL, opened);
		this.snapshot = undefined;
		const report = await this.importTree(treeFromMap(`snapshot ${opened.name.split('/').pop()}`, files));
		// Saved views have no MLflow file form either: they follow their experiments (found by name).
		const local = new Map(this.store.queries.experiments('all').map((e) => [e.name, e.experiment_id]));
		let views = 0;
		for (const e of opened.store.queries.experiments('all')) {
			const to = local.get(e.name);
			for (const v of opened.store.queries.savedViews(e.experiment_id)) {
				if (!to) continue;
				await this.edit({ op: 'saveView', experimentId: to, name: v.name, query: v.query });
				views++;
			}
		}
		if (views) report.notes.push(`${views} saved view(s) of the snapshot were copied with their experiments.`);
		// Registered scorers have no file form outside an mlflow.db: the copy says they stayed behind.
		const scorers = opened.store.queries.experiments('all').reduce((n, e) => n + opened.store.queries.scorers(e.experiment_id).length, 0);
		if (scorers)
			report.notes.push(
				`${scorers} registered scorer(s) of the snapshot were not copied: MLflow keeps scorers only in an mlflow.db. Open the snapshot to see them.`
			);
		return report;
	}
}
