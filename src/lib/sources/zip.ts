/**
 * A zip archive as a SourceTree. The central directory is read by readPlainDirectory when the
 * archive is plain, else by zip.js (CP437 names, prepended data; ranged reads only). Entries are
 * read by readEntry, through an 8 MB window, or inflated ahead on a helper thread when the caller
 * gives an InflateChannel (the browser's store worker does).
 */
import { ZipReader } from '@zip.js/zip.js/lib/zip-core-reader.js';
import { ImportInputError, normalizePath, windowedReader, type ByteReader, type SourceTree } from './tree';
import { readPlainDirectory, type ZipEntryInfo } from './zip-directory';
import { readEntry } from './zip-entry';
import { ZipPrefetch, type InflateChannel } from './zip-prefetch';
/** zip.js takes any object with a size and readUint8Array as its reader. */
function zipJsReader(bytes: ByteReader) {
	return { size: bytes.size, readUint8Array: (index: number, length: number) => bytes.read(index, length) };
}

/** A zip.js entry as a plain record: its own carry functions, which cannot cross to the inflate worker. */
export function entryInfo(e: Awaited<ReturnType<ZipReader<unknown>['getEntries']>>[number]): ZipEntryInfo {
	return {
		filename: e.filename,
		directory: e.directory,
		encrypted: e.encrypted,
		offset: e.offset,
		compressedSize: e.compressedSize,
		uncompressedSize: e.uncompressedSize,
		compressionMethod: (e as unknown as { compressionMethod: number }).compressionMethod,
		crc32: e.signature!
	};
}

/** The first bytes of every zip (a local header, or an empty archive's end record). */
export function looksLikeZip(head: Uint8Array): boolean {
	return head[0] === 0x50 && head[1] === 0x4b && (head[2] === 3 || head[2] === 5) && (head[3] === 4 || head[3] === 6);
}

/** `window`: bytes read at a time for small entries (8 MB from disk; a snapshot over HTTP wants less). */
export async function openZip(name: string, source: ByteReader, inflater?: InflateChannel, window?: number): Promise<SourceTree> {
	let entries = await readPlainDirectory(source);
	if (!entries)
		try {
			const reader = new ZipReader(zipJsReader(source) as never);
			entries = (await reader.getEntries()).map(entryInfo);
		} catch (e) {
			throw new ImportInputError(`${name} is not a readable zip archive (${(e as Error).message}); it may be truncated or corrupt`);
		}
	const bytes = windowedReader(source, window);
	const prefetch = inflater && new ZipPrefetch(entries, inflater);
	return {
		name,
		files: entries
			.filter((e) => !e.directory)
			.map((e) => ({
				path: normalizePath(e.filename),
				size: e.uncompressedSize,
				order: e.offset,
				bytes: async () => (await prefetch?.take(e)) ?? readEntry(name, bytes, e)
			})),
		close: async () => prefetch?.close()
	};
}
