/**
 * Reads one zip entry's bytes given its central-directory record: the local header at its offset,
 * then the stored or deflated data, inflated with fflate's synchronous inflate (for many small
 * files several times faster than zip.js's streamed per-entry extraction, ~2 ms/entry; see
 * peers-performance-style.md section 2). Shared by the zip tree and the inflate worker.
 */
import { inflateSync } from 'fflate';
import { crc32 } from './crc32';
import { ImportInputError, type ByteReader } from './tree';
import type { ZipEntryInfo } from './zip-directory';

const LOCAL_HEADER = 30;
const LOCAL_SIGNATURE = 0x04034b50;
/** The most a local header can span: fixed part plus a name and an extra field of up to 64 KiB each. */
export const MAX_LOCAL_HEADER = LOCAL_HEADER + 2 * 0xffff;
/** The largest entry inflated (a zip bomb claims more; a real metric file this big is 30M+ points). */
export const MAX_ENTRY_BYTES = 1024 * 2 ** 20;

export async function readEntry(zipName: string, source: ByteReader, e: ZipEntryInfo): Promise<Uint8Array> {
	const fail = (why: string) => new ImportInputError(`${zipName}: entry ${e.filename} ${why}; the archive is corrupt or truncated`);
	if (e.encrypted) throw new ImportInputError(`${zipName}: entry ${e.filename} is encrypted`);
	if (e.uncompressedSize > MAX_ENTRY_BYTES) {
		throw new ImportInputError(
			`${zipName}: entry ${e.filename} would inflate to ${e.uncompressedSize.toLocaleString('en-US')} bytes, more than the ${MAX_ENTRY_BYTES / 2 ** 20} MB one file may hold in a tab; refused`
		);
	}
	const header = await source.read(e.offset, LOCAL_HEADER);
	const view = new DataView(header.buffer, header.byteOffset, header.byteLength);
	if (header.length < LOCAL_HEADER || view.getUint32(0, true) !== LOCAL_SIGNATURE) throw fail('has no local header');
	const dataStart = e.offset + LOCAL_HEADER + view.getUint16(26, true) + view.getUint16(28, true);
	if (dataStart + e.compressedSize > source.size) throw fail('runs past the end of the file');
	const raw = await source.read(dataStart, e.compressedSize);
	let out: Uint8Array;
	if (e.compressionMethod === 0)
		out = raw.slice(); // a view into a read window: copy
	else if (e.compressionMethod === 8) {
		try {
			// One byte more than stated: fflate fills a given buffer and stops, so data longer than
			// the directory says (a lying directory) would be cut silently at exactly the stated size.
			out = inflateSync(raw, { out: new Uint8Array(e.uncompressedSize + 1) });
		} catch (err) {
			throw fail(`cannot be inflated (${(err as Error).message})`);
		}
	} else throw new ImportInputError(`${zipName}: entry ${e.filename} uses unsupported compression ${e.compressionMethod}`);
	if (out.length !== e.uncompressedSize) {
		throw fail(
			out.length > e.uncompressedSize
				? `holds more data than the ${e.uncompressedSize} bytes the directory states`
				: `has ${out.length} bytes, not ${e.uncompressedSize}`
		);
	}
	// Inflating already read every byte; the checksum costs ~1 ms per 1.5 MB and catches altered data.
	if (crc32(out) !== e.crc32) throw fail('fails its CRC-32 check (its data was altered)');
	return out;
}
