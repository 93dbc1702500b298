/**
 * Where a workspace keeps its store between sessions, and how it shares it with other tabs. The
 * browser keeps the image and artifact bytes in IndexedDB and coordinates tabs with a Web Lock
 * and a BroadcastChannel (workers/indexeddb-persistence.ts); the CLI keeps the image in a file
 * (cli/file-persistence.ts); tests and one-shot CLI commands keep everything in memory (below).
 */

/**
 * A saved store image and its generation (a count of saves, so a tab knows when it is behind).
 * A store split in two (db/bulk-file.ts) also has a bulk image, written only by the saves that
 * changed it: `bulkGeneration` is the generation of the save that last wrote it.
 */
export interface SavedImage {
	bytes: Uint8Array;
	generation: number;
	/** Absent when the caller already holds this bulk generation, or for a one-image store. */
	bulk?: Uint8Array;
	bulkGeneration?: number;
}

export interface Persistence {
	/** Whether artifact bytes are kept (a CLI store file only indexes them, so imports skip reading them). */
	readonly keepsArtifacts: boolean;
	/** Whether the store is kept as a main and a bulk image (else as one image: a `--db` file). */
	readonly splitsBulk: boolean;
	/** The largest store it holds (bytes of its images); imports past it are refused. None: no limit. */
	readonly maxStoreBytes?: number;
	/** The saved image; its bulk bytes only when their generation is not `heldBulk`. Both read at once. */
	loadImage(heldBulk?: number): Promise<SavedImage | undefined>;
	/** The generation of the saved image (0: none), without reading the image itself. */
	imageGeneration(): Promise<number>;
	/**
	 * Writes the image (and the bulk image, when given) atomically: a failure leaves the previous
	 * ones in place. Without `bulk`, the saved bulk image stays and goes with this one.
	 */
	saveImage(bytes: Uint8Array, schema: number, generation: number, bulk?: Uint8Array): Promise<void>;
	putArtifact(key: string, blob: Blob): Promise<void>;
	getArtifact(key: string): Promise<Blob | undefined>;
	deleteArtifacts(keys: string[]): Promise<void>;
	artifactKeys(): Promise<string[]>;
	/** Removes the image and every artifact. */
	clear(): Promise<void>;
	/** The error a full disk raises here, which the workspace reports as such. */
	isQuotaError(e: unknown): boolean;
	/** Runs `fn` while no other tab or process writes this store. */
	exclusive<T>(fn: () => Promise<T>): Promise<T>;
	/** Tells the other tabs that `generation` was saved. */
	announce(generation: number): void;
	/** Called with the generation another tab saved. */
	onAnnounce(listener: (generation: number) => void): void;
}

/**
 * What several MemoryPersistence handles share, as the tabs of one browser profile share
 * IndexedDB: one image, one set of artifacts, one lock, one channel.
 */
export class MemoryDisk {
	image: (SavedImage & { schema: number }) | undefined;
	bulk: { bytes: Uint8Array; generation: number } | undefined;
	/** How many times the bulk image was written (tests check that edits leave it alone). */
	bulkWrites = 0;
	readonly artifacts = new Map<string, Blob>();
	readonly listeners = new Set<(generation: number) => void>();
	/** Set to make writes fail as a full disk does: every write, or only the image's. */
	full: false | 'all' | 'image' = false;
	lock: Promise<unknown> = Promise.resolve();
}

export class QuotaExceeded extends Error {
	constructor() {
		super('the disk is full');
		this.name = 'QuotaExceededError';
	}
}

/** Everything in memory: for tests (two handles on one MemoryDisk are two tabs) and CLI commands. */
export class MemoryPersistence implements Persistence {
	private listener: ((generation: number) => void) | undefined;
	keepsArtifacts = true;
	splitsBulk = true;
	/** Set by tests to see an import refused. */
	maxStoreBytes: number | undefined = undefined;

	constructor(readonly disk = new MemoryDisk()) {}

	async loadImage(heldBulk?: number): Promise<SavedImage | undefined> {
		const { image, bulk } = this.disk;
		if (!image) return undefined;
		const saved: SavedImage = { bytes: image.bytes.slice(), generation: image.generation, bulkGeneration: image.bulkGeneration };
		if (bulk && bulk.generation === image.bulkGeneration && bulk.generation !== heldBulk) saved.bulk = bulk.bytes.slice();
		return saved;
	}
	async imageGeneration() {
		return this.disk.image?.generation ?? 0;
	}
	async saveImage(bytes: Uint8Array, schema: number, generation: number, bulk?: Uint8Array) {
		if (this.disk.full) throw new QuotaExceeded();
		if (bulk) {
			this.disk.bulk = { bytes: bulk.slice(), generation };
			this.disk.bulkWrites++;
		}
		this.disk.image = { bytes: bytes.slice(), schema, generation, bulkGeneration: this.disk.bulk?.generation };
	}
	async putArtifact(key: string, blob: Blob) {
		if (this.disk.full === 'all') throw new QuotaExceeded();
		this.disk.artifacts.set(key, blob);
	}
	async getArtifact(key: string) {
		return this.disk.artifacts.get(key);
	}
	async deleteArtifacts(keys: string[]) {
		for (const k of keys) this.disk.artifacts.delete(k);
	}
	async artifactKeys() {
		return [...this.disk.artifacts.keys()];
	}
	async clear() {
		this.disk.image = undefined;
		this.disk.bulk = undefined;
		this.disk.artifacts.clear();
	}
	isQuotaError(e: unknown) {
		return e instanceof QuotaExceeded;
	}
	exclusive<T>(fn: () => Promise<T>): Promise<T> {
		const run = this.disk.lock.then(fn, fn);
		this.disk.lock = run.catch(() => {});
		return run;
	}
	announce(generation: number) {
		for (const l of this.disk.listeners) if (l !== this.listener) l(generation);
	}
	onAnnounce(listener: (generation: number) => void) {
		if (this.listener) this.disk.listeners.delete(this.listener);
		this.listener = listener;
		this.disk.listeners.add(listener);
	}
}
