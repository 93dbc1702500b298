/**
 * "Open folder and keep watching" (Chromium's File System Access), or an mlflow.db: the handle is kept in
 * IndexedDB, so a watch survives a restart (the browser asks for permission again, on a click);
 * the folder is re-read every WATCH_MS and on "Sync now", and each sync imports only what changed
 * (sources/changed.ts: changed run and trace folders with their experiment's meta), one import
 * each: one transaction, one report. Browsers without the API import a folder once (the folder
 * picker) and say so.
 */
import { openDB } from 'idb';
import { changedTree } from '$lib/sources/changed';
import type { SourceFile } from '$lib/sources/tree';
import type { ImportReport } from '$lib/importers/context';
import { storeApi, storeChanged } from './store.svelte';

/** How often a watched folder is re-read. */
export const WATCH_MS = 30_000;

type DirectoryHandle = FileSystemDirectoryHandle & {
	entries(): AsyncIterable<[string, FileSystemHandle]>;
	queryPermission(o: { mode: 'read' }): Promise<PermissionState>;
	requestPermission(o: { mode: 'read' }): Promise<PermissionState>;
};

export const watchSupported = typeof window !== 'undefined' && 'showDirectoryPicker' in window;

export const watched = $state<{
	name: string | null;
	/** Kept from a previous session, waiting for the user's permission to read it again. */
	needsPermission: boolean;
	syncing: boolean;
	lastSynced: number | null;
	/** What the last sync brought (null: nothing changed). */
	last: { changed: number; report: ImportReport } | null;
	error: string | null;
}>({ name: null, needsPermission: false, syncing: false, lastSynced: null, last: null, error: null });

type Watchable = DirectoryHandle | (FileSystemFileHandle & Pick<DirectoryHandle, 'queryPermission' | 'requestPermission'>);
let handle: Watchable | null = null;
/** A handle kept from an earlier session, waiting for the user's click to be read again. */
let pending: Watchable | undefined;
let stamps = new Map<string, string>();
let timer: ReturnType<typeof setInterval> | undefined;

const handles = () => openDB('trackside-watch', 1, { upgrade: (d) => d.createObjectStore('handles') });

/** Every file under the folder, with its path as a dropped folder has it (starting with the folder's name). */
async function walk(dir: DirectoryHandle, prefix: string, out: { path: string; file: File }[]): Promise<void> {
	for await (const [name, entry] of dir.entries()) {
		if (entry.kind === 'directory') await walk(entry as DirectoryHandle, `${prefix}/${name}`, out);
		else out.push({ path: `${prefix}/${name}`, file: await (entry as FileSystemFileHandle).getFile() });
	}
}

/** One sync now: the folder re-read, what changed imported. */
export async function syncNow(): Promise<void> {
	if (!handle || watched.syncing) return;
	watched.syncing = true;
	watched.error = null;
	try {
		if (handle.kind === 'file') {
			// An mlflow.db: read whole when it changed (SQLite rewrites pages in place: the file's own
			// size and time are its stamp).
			const file = await (handle as FileSystemFileHandle).getFile();
			const stamp = `${file.size}:${file.lastModified}`;
			if (stamps.get(file.name) === stamp) watched.last = null;
			else {
				watched.last = { changed: 1, report: await storeApi().importInput({ kind: 'file', file }) };
				stamps = new Map([[file.name, stamp]]);
				storeChanged();
			}
			watched.lastSynced = Date.now();
			return;
		}
		const listed: { path: string; file: File }[] = [];
		await walk(handle as DirectoryHandle, handle.name, listed);
		const byPath = new Map(listed.map((l) => [l.path, l.file]));
		const files: SourceFile[] = listed.map((l, order) => ({
			path: l.path,
			size: l.file.size,
			modified: l.file.lastModified,
			order,
			bytes: async () => new Uint8Array(await l.file.arrayBuffer())
		}));
		const { tree, stamps: next, changed } = changedTree({ name: handle.name, files }, stamps);
		if (tree) {
			const report = await storeApi().importInput({
				kind: 'folder',
				name: handle.name,
				files: tree.files.map((f) => ({ path: f.path, file: byPath.get(f.path)! }))
			});
			watched.last = { changed, report };
			storeChanged();
		} else watched.last = null;
		stamps = next;
		watched.lastSynced = Date.now();
	} catch (e) {
		watched.error = (e as Error).message;
	} finally {
		watched.syncing = false;
	}
}

async function start(h: Watchable): Promise<void> {
	handle = h;
	stamps = new Map();
	watched.name = h.name;
	watched.needsPermission = false;
	clearInterval(timer);
	timer = setInterval(() => void syncNow(), WATCH_MS);
	await syncNow();
}

/** Asks for a folder (a user's click), keeps its handle, and watches it. */
export async function watchFolder(): Promise<void> {
	const h = await (window as unknown as { showDirectoryPicker(o: { mode: 'read' }): Promise<DirectoryHandle> }).showDirectoryPicker({
		mode: 'read'
	});
	await (await handles()).put('handles', h, 'folder');
	await start(h);
}

/** Asks for an mlflow.db (a user's click), keeps its handle, and watches it. */
export async function watchDatabase(): Promise<void> {
	const [h] = await (window as unknown as { showOpenFilePicker(o: object): Promise<Watchable[]> }).showOpenFilePicker({
		types: [{ description: 'MLflow SQLite store', accept: { 'application/vnd.sqlite3': ['.db', '.sqlite', '.sqlite3'] } }]
	});
	await (await handles()).put('handles', h, 'folder');
	await start(h);
}

/** Watches a handle from elsewhere (a test's origin-private folder or file): the same path as a picked one. */
export async function watchHandle(h: Watchable): Promise<void> {
	await (await handles()).put('handles', h, 'folder');
	await start(h);
}

/** At start: a folder watched in an earlier session resumes, or waits for a click to be allowed again. */
export async function resumeWatching(): Promise<void> {
	if (!watchSupported || handle) return;
	const h = (await (await handles()).get('handles', 'folder').catch(() => undefined)) as Watchable | undefined;
	if (!h) return;
	watched.name = h.name;
	if ((await h.queryPermission({ mode: 'read' })) === 'granted') await start(h);
	else {
		handle = null;
		watched.needsPermission = true;
		pending = h;
	}
}
/** The click that lets the browser read the folder again after a restart. */
export async function allowAgain(): Promise<void> {
	if (pending && (await pending.requestPermission({ mode: 'read' })) === 'granted') await start(pending);
}

export async function stopWatching(): Promise<void> {
	clearInterval(timer);
	handle = null;
	pending = undefined;
	stamps = new Map();
	Object.assign(watched, { name: null, needsPermission: false, lastSynced: null, last: null, error: null });
	await (await handles()).delete('handles', 'folder');
}
