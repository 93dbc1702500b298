/**
 * Where a workspace keeps its store between sessions, and how it shares it with other tabs. The
 * browser keeps the image and artifact bytes in IndexedDB and coordinates tabs with a Web Lock
 * and a BroadcastChannel (workers/indexeddb-persistence.ts); the CLI keeps the image in a file
 * (cli/file-persistence.ts); tests and one-shot CLI commands keep everything in memory (below).
 */

/** A saved store image and its generation (a count of saves, so a tab knows when it is behind). */
export interface SavedImage {
	bytes: Uint8Array;
	generation: number;
}

export interface Persistence {
	/** Whether artifact bytes are kept (a CLI store file only indexes them, so imports skip reading them). */
	readonly keepsArtifacts: boolean;
	loadImage(): Promise<SavedImage | undefined>;
	/** The generation of the saved image (0: none), without reading the image itself. */
	imageGeneration(): Promise<number>;
	/** Writes the image atomically: a failure leaves the previous one in place. */
	saveImage(bytes: Uint8Array, schema: number, generation: number): Promise<void>;
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

	constructor(readonly disk = new MemoryDisk()) {}

	async loadImage() {
		return this.disk.image && { bytes: this.disk.image.bytes.slice(), generation: this.disk.image.generation };
	}
	async imageGeneration() {
		return this.disk.image?.generation ?? 0;
	}
	async saveImage(bytes: Uint8Array, schema: number, generation: number) {
		if (this.disk.full) throw new QuotaExceeded();
		this.disk.image = { bytes: bytes.slice(), schema, generation };
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
