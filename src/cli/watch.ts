/**
 * `trackside import --watch`: a folder (or an mlflow.db) re-read every few seconds, importing only
 * what changed since the last sync (sources/changed.ts), each sync one import: one transaction, one
 * report, nothing half-written if it fails.
 */
import { stat } from 'node:fs/promises';
import { openPath } from './node-sources';
import { changedTree } from '../lib/sources/changed';
import type { Workspace } from '../lib/workspace/workspace';
import type { ImportReport } from '../lib/importers/context';

export class FolderWatcher {
	private stamps = new Map<string, string>();

	constructor(
		readonly path: string,
		private readonly ws: Workspace
	) {}

	/** One sync: the files changed since the last one, imported; null when nothing changed. */
	async sync(): Promise<{ changed: number; report: ImportReport } | null> {
		// A single file (an mlflow.db, a zip) is read whole when it changed: SQLite rewrites pages in
		// place, so its own size and time are the stamp, not those of what is inside.
		const info = await stat(this.path);
		if (!info.isDirectory()) {
			const stamp = `${info.size}:${info.mtimeMs}`;
			if (this.stamps.get(this.path) === stamp) return null;
			const report = await this.ws.importTree(await openPath(this.path));
			this.stamps = new Map([[this.path, stamp]]);
			return { changed: 1, report };
		}
		const tree = await openPath(this.path);
		const { tree: changed, stamps, changed: count } = changedTree(tree, this.stamps);
		if (!changed) {
			await tree.close?.();
			return null;
		}
		const report = await this.ws.importTree(changed);
		// Kept only once imported: a failed sync is tried again whole at the next.
		this.stamps = stamps;
		return { changed: count, report };
	}
}
