/**
 * Opens a snapshot from any ByteReader (a File, or HTTP ranges): reads the manifest and the store
 * image, checks them, and reads series and artifacts on demand, each checked against its hash.
 * A snapshot is untrusted input: anything malformed, truncated or altered is refused with a
 * message saying which.
 */
import type { SqlJsStatic } from 'sql.js';
import { Store } from '../db/store';
import { entryHashes, storedCode } from '../db/snapshot-image';
import { openZip } from '../sources/zip';
import type { ByteReader, SourceFile } from '../sources/tree';
import {
	artifactEntry,
	readOnlyMessage,
	seriesEntry,
	sha256,
	SnapshotError,
	SNAPSHOT_FORMAT,
	SNAPSHOT_VERSION,
	type SnapshotManifest
} from './format';

export interface OpenedSnapshot {
	name: string;
	manifest: SnapshotManifest;
	/** The store, read-only by convention: the worker refuses edits while a snapshot is open. */
	store: Store;
	/** An entry's bytes, checked against its sha256; undefined when the snapshot lacks it. */
	entry(name: string): Promise<Uint8Array | undefined>;
	series(runId: string, key: string): Promise<Uint8Array | undefined>;
	artifact(owner: string, path: string): Promise<Uint8Array | undefined>;
}

/** Reads over HTTP come in 256 KB windows: small entries next to each other share a request. */
const HTTP_WINDOW = 256 << 10;

export async function openSnapshot(SQL: SqlJsStatic, name: string, reader: ByteReader): Promise<OpenedSnapshot> {
	let files: Map<string, SourceFile>;
	try {
		files = new Map((await openZip(name, reader, undefined, HTTP_WINDOW)).files.map((f) => [f.path, f]));
	} catch (e) {
		throw new SnapshotError(`${name} is not a readable Trackside snapshot: ${(e as Error).message}`);
	}
	const read = async (entry: string) => {
		try {
			return await files.get(entry)!.bytes();
		} catch (e) {
			throw new SnapshotError(`${name} is corrupt: ${entry} cannot be read (${(e as Error).message})`);
		}
	};
	if (!files.has('manifest.json') || !files.has('meta.sqlite')) {
		throw new SnapshotError(
			`${name} is a zip but not a Trackside snapshot (no manifest.json and meta.sqlite). To import MLflow data, drop it on the import panel instead.`
		);
	}
	let manifest: SnapshotManifest;
	try {
		manifest = JSON.parse(new TextDecoder().decode(await read('manifest.json')));
	} catch (e) {
		if (e instanceof SnapshotError) throw e;
		throw new SnapshotError(`${name} is corrupt: its manifest is not valid JSON`);
	}
	if (manifest === null || typeof manifest !== 'object') throw new SnapshotError(`${name} is corrupt: its manifest is not an object`);
	if (manifest.format !== SNAPSHOT_FORMAT)
		throw new SnapshotError(`${name} is not a Trackside snapshot (format "${String(manifest.format)}")`);
	if (manifest.format === SNAPSHOT_FORMAT && manifest.formatVersion <= SNAPSHOT_VERSION) {
		// Every field a page shows is checked here, so that a crafted manifest fails now with a
		// reason rather than in the page (a bad date left "Opening snapshot…" up for good).
		const bad = manifestProblem(manifest);
		if (bad) throw new SnapshotError(`${name} is corrupt: its manifest ${bad}`);
	}
	if (!(manifest.formatVersion <= SNAPSHOT_VERSION)) {
		throw new SnapshotError(
			`${name} was made by a newer Trackside (${manifest.trackside}, snapshot format ${manifest.formatVersion}); this one reads formats up to ${SNAPSHOT_VERSION}. Open it with the newer Trackside.`
		);
	}
	const meta = await read('meta.sqlite');
	if ((await sha256(meta)) !== manifest.meta?.sha256) {
		throw new SnapshotError(`${name} is corrupt or was altered: its data does not match the hash in its manifest. It was not opened.`);
	}
	let store: Store;
	try {
		store = Store.open(SQL, meta);
	} catch (e) {
		throw new SnapshotError(`${name} is corrupt: its store cannot be opened (${(e as Error).message})`);
	}
	// A snapshot's store is read by every page: it may hold no code of its author's (a view that
	// never ends would hang the worker on the first query).
	const code = storedCode(store.db);
	if (code.length) {
		store.db.close();
		throw new SnapshotError(
			`${name} is not a snapshot Trackside made: its store holds views, triggers or computed columns (${code.join(', ')}). It was not opened.`
		);
	}
	store.makeReadOnly(readOnlyMessage(name));
	const hashes = entryHashes(store.db);
	const entry = async (entryName: string) => {
		const expected = hashes.get(entryName);
		if (!expected || !files.has(entryName)) return undefined;
		const bytes = await read(entryName);
		if ((await sha256(bytes)) !== expected)
			throw new SnapshotError(`${name} is corrupt or was altered: ${entryName} does not match its hash.`);
		return bytes;
	};
	return {
		name,
		manifest,
		store,
		entry,
		series: (runId, key) => entry(seriesEntry(runId, key)),
		artifact: (owner, path) => entry(artifactEntry(owner, path))
	};
}

function manifestProblem(m: SnapshotManifest): string | undefined {
	const count = (v: unknown) => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
	if (!count(m.createdAt) || !Number.isFinite(new Date(m.createdAt).getTime()))
		return `has no valid date (createdAt ${JSON.stringify(m.createdAt)?.slice(0, 40)})`;
	if (typeof m.trackside !== 'string') return 'does not say which Trackside made it';
	if (
		!Array.isArray(m.experiments) ||
		!m.experiments.every((e) => e && typeof e.id === 'string' && typeof e.name === 'string' && count(e.runs))
	)
		return 'lists experiments in a shape Trackside does not write';
	const c = m.counts;
	if (
		!c ||
		typeof c !== 'object' ||
		!['runs', 'metricPoints', 'series', 'artifacts', 'artifactBytes', 'registeredModels'].every((k) =>
			count((c as unknown as Record<string, unknown>)[k])
		)
	)
		return 'has counts that are not counts';
	return undefined;
}
