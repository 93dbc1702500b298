/**
 * Artifacts are found by position in the archive, not by resolving artifact_uri (which names the
 * machine that logged the run: `file:///C:/...`, `s3://...`, `mlflow-artifacts:/...`):
 *   <...>/<experiment>/<run id>/artifacts/<path>              FileStore runs, artifact-only folders
 *   mlartifacts/<experiment>/<run id>/artifacts/<path>        tracking server with --serve-artifacts
 *   <...>/<experiment>/models/m-<id>/artifacts/<path>         MLflow 3 logged models
 * and folders an importer placed by its own layout (`ctx.artifactDirs`: export-import runs).
 * They attach to any run or logged model in the store, whichever importer brought it (an
 * mlflow.db next to an artifact folder is the common case).
 */
import { unsafeName } from '../names';
import type { SourceFile, SourceTree } from '../sources/tree';
import type { ImportContext } from './context';

const OWNER = /(?:^|\/)\d+\/(?:([0-9a-f]{32})|models\/(m-[0-9a-f]{32}))\/artifacts\/(.+)$/;

export async function importArtifacts(tree: SourceTree, ctx: ImportContext): Promise<void> {
	const byOwner = new Map<string, { path: string; file: SourceFile }[]>();
	const add = (owner: string, path: string, file: SourceFile) => {
		let list = byOwner.get(owner);
		if (!list) byOwner.set(owner, (list = []));
		list.push({ path, file });
	};
	const dirs = [...ctx.artifactDirs];
	for (const file of tree.files) {
		const placed = dirs.length > 0 ? dirs.find(([dir]) => file.path.startsWith(dir)) : undefined;
		if (placed) {
			add(placed[1], file.path.slice(placed[0].length), file);
			continue;
		}
		const m = OWNER.exec(file.path);
		if (m) add(m[1] ?? m[2], m[3], file);
	}
	const accepted: { owner: string; path: string; file: SourceFile }[] = [];
	for (const [owner, files] of byOwner) {
		if (!ctx.writer.hasOwner(owner)) {
			const dir = files[0].file.path.slice(0, files[0].file.path.length - files[0].path.length);
			ctx.skip(
				dir,
				`${files.length} artifact file(s) of ${owner.startsWith('m-') ? 'logged model' : 'run'} ${owner}, which has no metadata in this import or the store: skipped`
			);
			continue;
		}
		for (const f of files) {
			const why = unsafeName(f.path);
			if (why) ctx.skip(f.file.path, `artifact path ${JSON.stringify(f.path.slice(0, 200))} cannot be stored: ${why}`);
			else accepted.push({ owner, ...f });
		}
	}
	if (accepted.length === 0) return;
	accepted.sort((a, b) => a.file.order - b.file.order);
	ctx.plan(
		'artifacts',
		accepted.reduce((n, a) => n + a.file.size, 0),
		0
	);
	for (const a of accepted) {
		ctx.check();
		await ctx.options.saveArtifact?.(a.owner, a.path, a.file);
		ctx.writer.artifact(a.owner, a.path, a.file.size);
		ctx.counts.artifacts++;
		ctx.counts.artifactBytes += a.file.size;
		ctx.advance(a.file.size);
	}
}
