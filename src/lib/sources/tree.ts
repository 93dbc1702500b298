/**
 * What an importer reads: a flat list of files with '/'-separated paths, whatever they came from
 * (a zip, a dropped folder, a folder on disk). Reading is lazy so that big artifacts are inflated
 * or loaded only when they are copied, one at a time.
 */
import { UserError } from '../errors';
/** Input the user gave that cannot be imported; the message says why, in the user's terms. */
export class ImportInputError extends UserError {
	constructor(message: string) {
		super(message, 'input');
	}
}

export interface SourceFile {
	/** Path inside the source, '/'-separated, no leading slash. */
	path: string;
	size: number;
	/** Where the file's bytes start in its container; files are read in this order for locality. */
	order: number;
	/** Last modification (ms), for files of a folder on disk: what a watched folder's sync compares. */
	modified?: number;
	bytes(): Promise<Uint8Array>;
}

export interface SourceTree {
	/** What the user gave: a file or folder name. */
	name: string;
	files: SourceFile[];
	/** Releases what the tree holds open (a file handle in Node). */
	close?(): Promise<void>;
}

/** Random access to a container's bytes (a Blob in the browser, a file handle in Node). */
export interface ByteReader {
	size: number;
	read(offset: number, length: number): Promise<Uint8Array>;
}

export function normalizePath(path: string): string {
	return path.replace(/\\/g, '/').replace(/^(\.\/|\/)+/, '');
}

export function blobReader(blob: Blob): ByteReader {
	return {
		size: blob.size,
		async read(offset, length) {
			return new Uint8Array(await blob.slice(offset, offset + length).arrayBuffer());
		}
	};
}

/**
 * Serves reads from a sliding window so that many small files stored next to each other (metric
 * and param files of a run) cost one large read instead of one small read each: in the browser a
 * Blob.slice read has a fixed cost of a fraction of a millisecond, which dominates for 10,000s of
 * tiny files. Reads larger than the window go straight through, so a big artifact is never copied
 * into the window and the archive is never held whole in memory.
 */
export function windowedReader(inner: ByteReader, windowSize = 8 << 20): ByteReader {
	let start = 0;
	let window: Uint8Array = new Uint8Array(0);
	return {
		size: inner.size,
		async read(offset, length) {
			if (offset >= start && offset + length <= start + window.length) {
				return window.subarray(offset - start, offset - start + length);
			}
			if (length >= windowSize) return inner.read(offset, length);
			// Window and start change together, after the read: reads may run concurrently (a page
			// fetching several series of a snapshot), and a half-updated window would serve wrong bytes.
			const data = await inner.read(offset, Math.min(windowSize, inner.size - offset));
			start = offset;
			window = data;
			return data.subarray(0, Math.min(length, data.length));
		}
	};
}

/** A tree from browser File objects (file picker, folder picker, dropped folder). */
export function treeFromFiles(name: string, files: { file: File; path: string }[]): SourceTree {
	return {
		name,
		files: files.map(({ file, path }, i) => ({
			path: normalizePath(path),
			size: file.size,
			order: i,
			bytes: async () => new Uint8Array(await file.arrayBuffer())
		}))
	};
}

export function memoryReader(bytes: Uint8Array): ByteReader {
	return { size: bytes.length, read: async (offset, length) => bytes.subarray(offset, offset + length) };
}

/** A tree of in-memory files (the demo generator, tests). */
export function treeFromMap(name: string, files: Map<string, Uint8Array>): SourceTree {
	return {
		name,
		files: [...files].map(([path, bytes], i) => ({ path, size: bytes.length, order: i, bytes: async () => bytes }))
	};
}
