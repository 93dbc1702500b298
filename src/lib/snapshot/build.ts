/** Writes a snapshot of (part of) a store; see format.ts for the layout. */
import { deflateSync, zipSync, type Zippable } from 'fflate';
import type { SqlJsStatic } from 'sql.js';
import { Store } from '../db/store';
import { forgetSources, restrictToExperiments } from '../db/restrict';
import { TRACKSIDE_VERSION } from '../version';
import { artifactEntry, seriesEntry, sha256, SNAPSHOT_FORMAT, SNAPSHOT_VERSION, type SnapshotManifest } from './format';

export interface SnapshotOptions {
	/** Experiments to include (all when absent). */
	experimentIds?: string[];
	/** Artifacts: none, all, or only files up to this many bytes each. */
	artifacts: 'none' | 'all' | number;
	/** An artifact's bytes (IndexedDB in the browser, the input files in the CLI). */
	readArtifact?: (owner: string, path: string) => Promise<Uint8Array | undefined>;
	now?: number;
}

// Already-compressed kinds gain nothing from deflate; everything else (text, CSV, JSON) does.
const STORED = /\.(png|jpe?g|gif|webp|zip|gz|bz2|xz|7z|pt|pth|pkl|joblib|onnx|h5|parquet|mp4|webm|mp3|ogg|pdf)$/i;

export async function buildSnapshot(SQL: SqlJsStatic, store: Store, options: SnapshotOptions): Promise<Uint8Array> {
	const copy = Store.open(SQL, store.export());
	try {
		const db = copy.db;
		if (options.experimentIds) restrictToExperiments(db, options.experimentIds);
		forgetSources(db);
		db.exec('CREATE TABLE snapshot_entries (name TEXT PRIMARY KEY, sha256 TEXT NOT NULL, size INTEGER NOT NULL) WITHOUT ROWID');
		const files: Zippable = {};
		const addEntry = db.prepare('INSERT INTO snapshot_entries VALUES (?, ?, ?)');
		const add = async (name: string, bytes: Uint8Array, level: 0 | 6) => {
			files[name] = [bytes, { level }];
			addEntry.run([name, await sha256(bytes), bytes.length]);
		};
		// Metric series move out of the image: a page fetches only those it draws.
		let points = 0;
		const series = db.exec('SELECT run_uuid, key, points, point_count FROM metric_series')[0]?.values ?? [];
		for (const [run, key, blob, count] of series) {
			// Packed series are dense already; deflate is kept only where it saves a tenth or more.
			const bytes = blob as Uint8Array;
			await add(seriesEntry(String(run), String(key)), bytes, deflateSync(bytes, { level: 6 }).length < bytes.length * 0.9 ? 6 : 0);
			points += Number(count);
		}
		db.exec("UPDATE metric_series SET points = x''");
		let artifacts = 0;
		let artifactBytes = 0;
		if (options.artifacts !== 'none' && options.readArtifact) {
			const rows = db.exec('SELECT owner_id, path, size FROM artifacts ORDER BY owner_id, path')[0]?.values ?? [];
			for (const [owner, path, size] of rows) {
				if (typeof options.artifacts === 'number' && Number(size) > options.artifacts) continue;
				const bytes = await options.readArtifact(String(owner), String(path));
				if (!bytes) continue;
				await add(artifactEntry(String(owner), String(path)), bytes, STORED.test(String(path)) ? 0 : 6);
				artifacts++;
				artifactBytes += bytes.length;
			}
			// Artifacts left out are not listed: the browser shows only what the snapshot holds.
			db.exec(`DELETE FROM artifacts WHERE 'artifacts/' || owner_id || '/' || path NOT IN (SELECT name FROM snapshot_entries)`);
		} else db.exec('DELETE FROM artifacts');
		addEntry.free();
		db.exec('VACUUM');
		const meta = db.export();
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
				registeredModels: q.registeredModels().length
			},
			meta: { entry: 'meta.sqlite', sha256: await sha256(meta), size: meta.length }
		};
		// The manifest and the image first: a reader fetches the head of the file and the directory.
		return zipSync({ 'manifest.json': [new TextEncoder().encode(JSON.stringify(manifest, null, 1)), { level: 6 }], 'meta.sqlite': [meta, { level: 6 }], ...files });
	} finally {
		copy.close();
	}
}
