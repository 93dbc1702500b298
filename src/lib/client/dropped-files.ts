/**
 * Turns what the user dropped or picked into import inputs: a file (zip, mlflow.db) as it is, a
 * folder as its files with paths relative to the folder's parent (as `webkitRelativePath` gives).
 */
import { appendAll } from '../group';
import type { ImportInput } from '../../workers/protocol';

type Entry = FileSystemEntry;

function readEntries(dir: FileSystemDirectoryEntry): Promise<Entry[]> {
	const reader = dir.createReader();
	const all: Entry[] = [];
	// readEntries returns at most 100 entries a call: read until it returns none.
	return new Promise((resolve, reject) => {
		const next = () =>
			reader.readEntries((batch) => {
				if (batch.length === 0) resolve(all);
				else {
					appendAll(all, batch);
					next();
				}
			}, reject);
		next();
	});
}

async function walk(entry: Entry, out: { file: File; path: string }[]): Promise<void> {
	if (entry.isFile) {
		const file = await new Promise<File>((res, rej) => (entry as FileSystemFileEntry).file(res, rej));
		out.push({ file, path: entry.fullPath.replace(/^\//, '') });
	} else if (entry.isDirectory) {
		for (const child of await readEntries(entry as FileSystemDirectoryEntry)) await walk(child, out);
	}
}

export async function inputsFromDrop(dt: DataTransfer): Promise<ImportInput[]> {
	const entries = [...dt.items].map((i) => i.webkitGetAsEntry?.()).filter((e): e is Entry => !!e);
	if (entries.length === 0) return [...dt.files].map((file) => ({ kind: 'file', file }));
	const inputs: ImportInput[] = [];
	for (const e of entries) {
		if (e.isDirectory) {
			const files: { file: File; path: string }[] = [];
			await walk(e, files);
			inputs.push({ kind: 'folder', name: e.name, files });
		} else {
			const files: { file: File; path: string }[] = [];
			await walk(e, files);
			inputs.push(...files.map(({ file }) => ({ kind: 'file' as const, file })));
		}
	}
	return inputs;
}

/** From an `<input webkitdirectory>`: one folder input. */
export function inputFromFolderPicker(files: FileList): ImportInput | undefined {
	if (files.length === 0) return undefined;
	const list = [...files].map((file) => ({ file, path: file.webkitRelativePath || file.name }));
	return { kind: 'folder', name: list[0].path.split('/')[0], files: list };
}

const DOCUMENT = /\.(json|ya?ml)$/i;

/**
 * Loose JSON and YAML files (REST responses, export files) become one input, imported in one
 * transaction: a metrics/get-history file then finds its run whichever order they were picked in.
 */
export function documentsTogether(inputs: ImportInput[]): ImportInput[] {
	const docs = inputs.filter((i): i is Extract<ImportInput, { kind: 'file' }> => i.kind === 'file' && DOCUMENT.test(i.file.name));
	if (docs.length < 2) return inputs;
	const rest = inputs.filter((i) => !docs.includes(i as (typeof docs)[number]));
	const files = docs.map(({ file }) => ({ file, path: file.name }));
	return [...rest, { kind: 'folder', name: `${docs.length} JSON files`, files }];
}
