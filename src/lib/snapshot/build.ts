/** Writes a snapshot of (part of) a store; see format.ts for the layout. */
import { deflateSync, Zip, ZipDeflate, ZipPassThrough } from 'fflate';
import type { SqlJsStatic } from 'sql.js';
import { Store } from '../db/store';
import { forgetSources, restrictTo } from '../db/restrict';
import { SnapshotImage } from '../db/snapshot-image';
import { concatBytes } from '../sources/bytes';
import { TRACKSIDE_VERSION } from '../version';
import {
	ARTIFACTS_PREFIX,
	artifactEntry,
	seriesEntry,
	spansEntry,
	sha256,
	SNAPSHOT_FORMAT,
	SNAPSHOT_VERSION,
	type SnapshotManifest
} from './format';

export interface SnapshotOptions {
	/** Experiments to include (all when absent). */
	experimentIds?: string[];
	/** Runs to include (with their experiments, without their other runs). */
	runIds?: string[];
	/** Artifacts: none, all, or only files up to this many bytes each. */
	artifacts: 'none' | 'all' | number;
	/** An artifact's bytes (IndexedDB in the browser, the input files in the CLI). */
	readArtifact?: (owner: string, path: string) => Promise<Uint8Array | undefined>;
	now?: number;
	/** Entries written so far of all (series, span chunks, artifacts), called every few dozen. */
	onProgress?: (done: number, total: number) => void;
}

// Already-compressed kinds gain nothing from deflate; everything else (text, CSV, JSON) does.
const STORED = /\.(png|jpe?g|gif|webp|zip|gz|bz2|xz|7z|pt|pth|pkl|joblib|onnx|h5|bin|safetensors|parquet|mp4|webm|mp3|ogg|pdf)$/i;

/** A snapshot in memory (see writeSnapshot for the streamed form). */
export async function buildSnapshot(SQL: SqlJsStatic, store: Store, options: SnapshotOptions): Promise<Uint8Array> {
	const chunks: Uint8Array[] = [];
	await writeSnapshot(SQL, store, options, (chunk) => void chunks.push(chunk));
	return concatBytes(chunks);
}

/**
 * Writes a snapshot as a stream of chunks, entry by entry, so that a snapshot of gigabytes (mostly
 * artifacts) never sits whole in memory. Series and artifacts come first, as they are read; the
 * store image and the manifest last, once every entry's hash is in the image.
 */
export async function writeSnapshot(
	SQL: SqlJsStatic,
	store: Store,
	options: SnapshotOptions,
	sink: (chunk: Uint8Array) => void
): Promise<void> {
	let failed: Error | undefined;
	const zip = new Zip((err, chunk) => {
		if (err) failed = err;
		else sink(chunk);
	});
	const copy = Store.open(SQL, store.export());
	try {
		const db = copy.db;
		if (options.experimentIds || options.runIds) restrictTo(db, options);
		forgetSources(db);
		const image = new SnapshotImage(db);
		const put = (name: string, bytes: Uint8Array, level: 0 | 6) => {
			const file = level ? new ZipDeflate(name, { level }) : new ZipPassThrough(name);
			zip.add(file);
			file.push(bytes, true);
			if (failed) throw failed;
		};
		const add = async (name: string, bytes: Uint8Array, level: 0 | 6) => {
			put(name, bytes, level);
			image.addEntry(name, await sha256(bytes), bytes.length);
		};
		// Metric series move out of the image: a page fetches only those it draws.
		let points = 0;
		const series = image.series();
		const chunks = image.spanChunks();
		const shipped = options.artifacts !== 'none' && options.readArtifact ? image.artifacts() : [];
		const total = series.length + chunks.length + shipped.length;
		let done = 0;
		const step = () => {
			if (++done % 50 === 0 || done === total) options.onProgress?.(done, total);
		};
		options.onProgress?.(0, total);
		for (const s of series) {
			step();
			// Packed series are dense already; deflate is kept only where it saves a tenth or more.
			await add(seriesEntry(s.runId, s.key), s.points, deflateSync(s.points, { level: 6 }).length < s.points.length * 0.9 ? 6 : 0);
			points += s.count;
		}
		image.dropSeriesPoints();
		for (const c of chunks) {
			step();
			await add(spansEntry(c.traceId, c.chunk), c.content, 0);
		}
		image.dropSpanChunks();
		let artifacts = 0;
		let artifactBytes = 0;
		if (options.artifacts !== 'none' && options.readArtifact) {
			for (const a of shipped) {
				step();
				if (typeof options.artifacts === 'number' && a.size > options.artifacts) continue;
				const bytes = await options.readArtifact(a.owner, a.path);
				if (!bytes) continue;
				await add(artifactEntry(a.owner, a.path), bytes, STORED.test(a.path) ? 0 : 6);
				artifacts++;
				artifactBytes += bytes.length;
			}
			image.keepShippedArtifacts(ARTIFACTS_PREFIX);
		} else image.dropArtifacts();
		const meta = image.finish();
		const q = copy.queries;
		const manifest: SnapshotManifest = {
			format: SNAPSHOT_FORMAT,
			formatVersion: SNAPSHOT_VERSION,
			trackside: TRACKSIDE_VERSION,
			createdAt: options.now ?? Date.now(),
			experiments: q.experiments('all').map((e) => ({ id: e.experiment_id, name: e.name, runs: e.run_count })),
			counts: {
				runs: q.counts().runs,
				metricPoints: points,
				series: series.length,
				artifacts,
				artifactBytes,
				registeredModels: q.registeredModels().length,
				traces: [...q.traceCounts().values()].reduce((a, b) => a + b, 0)
			},
			meta: { entry: 'meta.sqlite', sha256: await sha256(meta), size: meta.length }
		};
		put('meta.sqlite', meta, 6);
		put('manifest.json', new TextEncoder().encode(JSON.stringify(manifest, null, 1)), 6);
		zip.end();
		if (failed) throw failed;
	} finally {
		copy.close();
	}
}
