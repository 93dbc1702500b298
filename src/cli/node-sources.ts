/** Inputs from the local disk for the CLI and tests: folders are walked, files sniffed. */
import { closeSync, existsSync, openSync, readSync } from 'node:fs';
import { open, readdir, stat, readFile } from 'node:fs/promises';
import { basename, join, relative, sep } from 'node:path';
import { openFile } from '../lib/importers';
import type { ByteReader, SourceFile, SourceTree } from '../lib/sources/tree';

export async function fileReader(path: string): Promise<ByteReader & { close(): Promise<void> }> {
	const handle = await open(path, 'r');
	const { size } = await handle.stat();
	return {
		size,
		async read(offset, length) {
			const buf = new Uint8Array(Math.max(0, Math.min(length, size - offset)));
			await handle.read(buf, 0, buf.length, offset);
			return buf;
		},
		close: () => handle.close()
	};
}

async function walk(dir: string, out: string[]): Promise<void> {
	for (const entry of await readdir(dir, { withFileTypes: true })) {
		const p = join(dir, entry.name);
		if (entry.isDirectory()) await walk(p, out);
		else if (entry.isFile()) out.push(p);
	}
}

/** A folder becomes a tree whose paths start with the folder's own name, as a dropped folder does. */
export async function openPath(path: string): Promise<SourceTree> {
	const info = await stat(path);
	if (info.isDirectory()) {
		const paths: string[] = [];
		await walk(path, paths);
		const parent = join(path, '..');
		const files: SourceFile[] = await Promise.all(
			paths.map(async (p, i) => {
				const { size, mtimeMs } = await stat(p);
				return {
					path: relative(parent, p).split(sep).join('/'),
					size,
					modified: mtimeMs,
					order: i,
					bytes: async () => new Uint8Array(await readFile(p))
				};
			})
		);
		return { name: basename(path), files };
	}
	const reader = await fileReader(path);
	try {
		return await openFile(basename(path), reader);
	} catch (e) {
		await reader.close();
		throw e;
	}
}

/** A store file `trackside import` wrote: SQLite with user_version > 0 (bytes 60-63 of the header). */
export function isTracksideStore(path: string): boolean {
	if (!existsSync(path) || !path.match(/\.(sqlite|sqlite3|db|trackside)$/i)) return false;
	const head = Buffer.alloc(100);
	const fd = openSync(path, 'r');
	try {
		readSync(fd, head, 0, 100, 0);
	} finally {
		closeSync(fd);
	}
	return head.toString('latin1', 0, 15) === 'SQLite format 3' && head.readUInt32BE(60) > 0;
}
