/**
 * What a sync of a watched folder reads: the files that changed since the last sync (size or
 * modification time), widened to whole units an importer can read alone. A changed file inside a
 * run folder (`<experiment>/<32-hex run id>/…`) or a trace folder (`<experiment>/traces/<id>/…`)
 * brings its whole folder and its experiment's own files (meta.yaml, tags); any other changed file
 * comes alone. Files that disappeared are left in the store (a sync adds and updates, as a re-import
 * does; removing is the user's, from Sources).
 */
import type { SourceFile, SourceTree } from './tree';

const RUN = /^[0-9a-f]{32}$/;
const EXPERIMENT = /^\d+$/;

/** The folder a file's unit is (a run or trace folder), and its experiment folder; none outside one. */
function unitOf(path: string): { unit: string; experiment: string } | undefined {
	const parts = path.split('/');
	for (let i = 1; i < parts.length - 1; i++) {
		if (EXPERIMENT.test(parts[i - 1]) && RUN.test(parts[i]))
			return { unit: parts.slice(0, i + 1).join('/'), experiment: parts.slice(0, i).join('/') };
		if (i >= 2 && EXPERIMENT.test(parts[i - 2]) && parts[i - 1] === 'traces' && i < parts.length - 1)
			return { unit: parts.slice(0, i + 1).join('/'), experiment: parts.slice(0, i - 1).join('/') };
	}
	return undefined;
}

export const stampOf = (f: SourceFile) => `${f.size}:${f.modified ?? ''}`;

/**
 * The tree to import for this sync (null: nothing changed) and the stamps to keep for the next.
 * With no previous stamps (the first sync) every file is read.
 */
export function changedTree(
	tree: SourceTree,
	previous: ReadonlyMap<string, string>
): { tree: SourceTree | null; stamps: Map<string, string>; changed: number } {
	const stamps = new Map(tree.files.map((f) => [f.path, stampOf(f)]));
	const changed = tree.files.filter((f) => previous.get(f.path) !== stamps.get(f.path));
	if (changed.length === 0) return { tree: null, stamps, changed: 0 };
	if (previous.size === 0) return { tree, stamps, changed: changed.length };
	const units = new Set<string>();
	const experiments = new Set<string>();
	const loose = new Set<string>();
	for (const f of changed) {
		const u = unitOf(f.path);
		if (u) {
			units.add(u.unit);
			experiments.add(u.experiment);
		} else loose.add(f.path);
	}
	const experimentFile = (path: string) => {
		for (const e of experiments) {
			if (!path.startsWith(e + '/')) continue;
			const rest = path.slice(e.length + 1);
			if (rest === 'meta.yaml' || rest.startsWith('tags/')) return true;
		}
		return false;
	};
	const files = tree.files.filter((f) => {
		const u = unitOf(f.path);
		return loose.has(f.path) || (u && units.has(u.unit)) || experimentFile(f.path);
	});
	return { tree: { ...tree, files }, stamps, changed: changed.length };
}
