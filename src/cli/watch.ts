/**
 * `trackside import --watch`: a folder (or an mlflow.db) re-read every few seconds, importing only
 * what changed since the last sync (sources/changed.ts), each sync one import: one transaction, one
 * report, nothing half-written if it fails.
 */
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
