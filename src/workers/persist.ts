/**
 * IndexedDB persistence through idb. The database image is stored as one Blob under one key, in
 * one transaction, so a crash mid-write leaves the previous image in place (IndexedDB transactions
 * are atomic). A Blob, not an ArrayBuffer: Chromium rejects ArrayBuffer values over ~127 MiB.
 * Artifacts live in their own object store, one Blob per file, keyed `<owner id>/<path>`.
 */
import { openDB, type DBSchema, type IDBPDatabase } from 'idb';

interface TracksideDB extends DBSchema {
	/** `generation` counts saves: a tab whose store is older than the saved one reloads it (tabs.ts). */
	images: { key: string; value: { blob: Blob; savedAt: number; schema: number; generation?: number } };
	artifacts: { key: string; value: Blob };
}

const IMAGE_KEY = 'current';
let db: Promise<IDBPDatabase<TracksideDB>> | undefined;

function open(): Promise<IDBPDatabase<TracksideDB>> {
	return (db ??= openDB<TracksideDB>('trackside', 1, {
		upgrade(d) {
			d.createObjectStore('images');
			d.createObjectStore('artifacts');
		}
	}));
}

export interface SavedImage {
	bytes: Uint8Array;
	generation: number;
}

export async function loadImage(): Promise<SavedImage | undefined> {
	const record = await (await open()).get('images', IMAGE_KEY);
	return record ? { bytes: new Uint8Array(await record.blob.arrayBuffer()), generation: record.generation ?? 0 } : undefined;
}

/** The generation of the saved image (0: none), without reading the image itself. */
export async function imageGeneration(): Promise<number> {
	const record = await (await open()).get('images', IMAGE_KEY);
	return record?.generation ?? 0;
}

export async function saveImage(bytes: Uint8Array, schema: number, generation: number): Promise<void> {
	await (await open()).put('images', { blob: new Blob([bytes as BlobPart]), savedAt: Date.now(), schema, generation }, IMAGE_KEY);
}

export async function putArtifact(key: string, blob: Blob): Promise<void> {
	await (await open()).put('artifacts', blob, key);
}

export async function getArtifact(key: string): Promise<Blob | undefined> {
	return (await open()).get('artifacts', key);
}

export async function deleteArtifacts(keys: string[]): Promise<void> {
	if (keys.length === 0) return;
	const tx = (await open()).transaction('artifacts', 'readwrite');
	await Promise.all([...keys.map((k) => tx.store.delete(k)), tx.done]);
}

/** Artifact keys the image does not list (left by an import that failed after writing them). */
export async function sweepArtifacts(keep: Set<string>): Promise<number> {
	const keys = await (await open()).getAllKeys('artifacts');
	const orphans = keys.filter((k) => !keep.has(k));
	await deleteArtifacts(orphans);
	return orphans.length;
}

export async function clearAll(): Promise<void> {
	const d = await open();
	const tx = d.transaction(['images', 'artifacts'], 'readwrite');
	await Promise.all([tx.objectStore('images').clear(), tx.objectStore('artifacts').clear(), tx.done]);
}

export function isQuotaError(e: unknown): boolean {
	return e instanceof DOMException && (e.name === 'QuotaExceededError' || e.name === 'UnknownError');
}
