/**
 * The browser's Persistence: IndexedDB through idb, a Web Lock and a BroadcastChannel.
 *
 * The main image and the bulk image (db/bulk-file.ts) are Blobs under two keys, written in one
 * transaction, so a crash mid-write leaves the previous ones in place (IndexedDB transactions are
 * atomic); an edit writes the main image alone. Blobs, not ArrayBuffers: Chromium rejects
 * ArrayBuffer values over ~127 MiB. Artifacts live in their own object store,
 * one Blob per file, keyed `<owner id>/<path>`.
 *
 * Tabs: each tab's worker holds its own copy of the store and saves the whole image, so writes are
 * serialized across tabs by a Web Lock, and after each save a BroadcastChannel tells the other
 * tabs, which catch up (the workspace) and have their pages reload.
 */
import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import type { Persistence, SavedImage } from '../lib/workspace/persistence';

interface TracksideDB extends DBSchema {
	/** `generation` counts saves: a tab whose store is older than the saved one reloads it. */
	/** `current`: the main image, with the generation of the bulk image saved with it; `bulk`: that bulk image. */
	images: { key: string; value: { blob: Blob; savedAt: number; schema: number; generation?: number; bulkGeneration?: number } };
	artifacts: { key: string; value: Blob };
}

const IMAGE_KEY = 'current';
const BULK_KEY = 'bulk';
const LOCK = 'trackside-store';
let db: Promise<IDBPDatabase<TracksideDB>> | undefined;

function open(): Promise<IDBPDatabase<TracksideDB>> {
	return (db ??= openDB<TracksideDB>('trackside', 1, {
		upgrade(d) {
			d.createObjectStore('images');
			d.createObjectStore('artifacts');
		}
	}));
}

/** The saved image; also read by the page while the worker starts (client/store.svelte.ts). */
export async function loadImage(heldBulk?: number): Promise<SavedImage | undefined> {
	// One transaction: the two records are from the same save.
	const tx = (await open()).transaction('images');
	const [record, bulk] = await Promise.all([tx.store.get(IMAGE_KEY), tx.store.get(BULK_KEY), tx.done]);
	if (!record) return undefined;
	const wanted = bulk && bulk.generation === record.bulkGeneration && bulk.generation !== heldBulk ? bulk.blob : undefined;
	// Both read at once: on a cold start they are the disk reads before the first query.
	const [main, bulkBytes] = await Promise.all([record.blob.arrayBuffer(), wanted?.arrayBuffer()]);
	const saved: SavedImage = { bytes: new Uint8Array(main), generation: record.generation ?? 0, bulkGeneration: record.bulkGeneration };
	if (bulkBytes) saved.bulk = new Uint8Array(bulkBytes);
	return saved;
}

export class IndexedDbPersistence implements Persistence {
	readonly keepsArtifacts = true;
	readonly splitsBulk = true;
	/**
	 * The largest store a tab holds: 1.5 GB, less on a device with under 8 GB of memory (a fifth of
	 * it). An import holds about 4 bytes of memory for each byte of store at its peak (the bulk file
	 * is one array of sql.js's in-memory file system, grown by copying, then copied to be saved):
	 * 100M points, a 1 GB store, peaked at 3.9 GB (BENCHMARKS.md, Big stores).
	 */
	readonly maxStoreBytes = Math.min(1.5 * 2 ** 30, (((navigator as { deviceMemory?: number }).deviceMemory ?? 8) * 2 ** 30) / 5);
	private channel = typeof BroadcastChannel !== 'undefined' ? new BroadcastChannel(LOCK) : undefined;

	loadImage = loadImage;

	async imageGeneration(): Promise<number> {
		return (await (await open()).get('images', IMAGE_KEY))?.generation ?? 0;
	}

	async saveImage(bytes: Uint8Array, schema: number, generation: number, bulk?: Uint8Array): Promise<void> {
		const savedAt = Date.now();
		const db = await open();
		// Blobs made before the transaction: it commits as soon as it has nothing queued.
		const main = new Blob([bytes as BlobPart]);
		const bulkBlob = bulk && new Blob([bulk as BlobPart]);
		const tx = db.transaction('images', 'readwrite');
		const bulkGeneration = bulkBlob ? generation : (await tx.store.get(IMAGE_KEY))?.bulkGeneration;
		await Promise.all([
			bulkBlob && tx.store.put({ blob: bulkBlob, savedAt, schema, generation }, BULK_KEY),
			tx.store.put({ blob: main, savedAt, schema, generation, bulkGeneration }, IMAGE_KEY),
			tx.done
		]);
	}

	async putArtifact(key: string, blob: Blob): Promise<void> {
		await (await open()).put('artifacts', blob, key);
	}

	async getArtifact(key: string): Promise<Blob | undefined> {
		return (await open()).get('artifacts', key);
	}

	async deleteArtifacts(keys: string[]): Promise<void> {
		if (keys.length === 0) return;
		const tx = (await open()).transaction('artifacts', 'readwrite');
		await Promise.all([...keys.map((k) => tx.store.delete(k)), tx.done]);
	}

	async artifactKeys(): Promise<string[]> {
		return (await open()).getAllKeys('artifacts');
	}

	async clear(): Promise<void> {
		const tx = (await open()).transaction(['images', 'artifacts'], 'readwrite');
		await Promise.all([tx.objectStore('images').clear(), tx.objectStore('artifacts').clear(), tx.done]);
	}

	isQuotaError(e: unknown): boolean {
		return e instanceof DOMException && (e.name === 'QuotaExceededError' || e.name === 'UnknownError');
	}

	exclusive<T>(fn: () => Promise<T>): Promise<T> {
		return typeof navigator !== 'undefined' && navigator.locks ? navigator.locks.request(LOCK, fn) : fn();
	}

	announce(generation: number): void {
		this.channel?.postMessage({ generation });
	}

	onAnnounce(listener: (generation: number) => void): void {
		this.channel?.addEventListener('message', (e: MessageEvent<{ generation: number }>) => listener(e.data.generation));
	}
}
