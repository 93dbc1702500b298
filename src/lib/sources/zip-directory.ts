/**
 * A lean reader of a zip's central directory for the plain case (single disk, no prepended data,
 * UTF-8 or ASCII names; zip64 included, as any archive of over 65,535 files needs it): one pass over one buffer, a small object per entry. zip.js's getEntries
 * spends ~21 µs per entry (an async generator step and ~40 properties each), 5.5 s for the 260,000
 * files of a 10,000-run mlruns archive; this takes ~0.1 s. Anything unusual returns undefined and
 * the caller falls back to zip.js, which handles every variant and explains corrupt archives.
 */
import type { ByteReader } from './tree';

export interface ZipEntryInfo {
	filename: string;
	directory: boolean;
	encrypted: boolean;
	offset: number;
	compressedSize: number;
	uncompressedSize: number;
	compressionMethod: number;
	/** CRC-32 of the uncompressed data, as the central directory states it. */
	crc32: number;
}

const END_SIGNATURE = 0x06054b50;
const END_LENGTH = 22;
const ZIP64_LOCATOR_SIGNATURE = 0x07064b50;
const ZIP64_LOCATOR_LENGTH = 20;
const ZIP64_END_SIGNATURE = 0x06064b50;
const ZIP64_END_LENGTH = 56;
const ZIP64_EXTRA = 0x0001;
const U32_MAX = 0xffffffff;
const CENTRAL_SIGNATURE = 0x02014b50;
const CENTRAL_LENGTH = 46;
const MAX_COMMENT = 0xffff;
const FLAG_ENCRYPTED = 1;
const FLAG_UTF8 = 1 << 11;

const latin1 = new TextDecoder('latin1');
const utf8 = new TextDecoder('utf-8', { fatal: true });

export async function readPlainDirectory(source: ByteReader): Promise<ZipEntryInfo[] | undefined> {
	const tailLength = Math.min(source.size, END_LENGTH + MAX_COMMENT);
	const tail = await source.read(source.size - tailLength, tailLength);
	const tailView = new DataView(tail.buffer, tail.byteOffset, tail.byteLength);
	let end = -1;
	for (let i = tail.length - END_LENGTH; i >= 0; i--) {
		if (tailView.getUint32(i, true) === END_SIGNATURE && i + END_LENGTH + tailView.getUint16(i + 20, true) === tail.length) {
			end = i;
			break;
		}
	}
	if (end < 0) return undefined;
	let count = tailView.getUint16(end + 10, true);
	let directorySize = tailView.getUint32(end + 12, true);
	let directoryOffset = tailView.getUint32(end + 16, true);
	let endOffset = source.size - tailLength + end;
	let zip64 = false;
	if (end >= ZIP64_LOCATOR_LENGTH && tailView.getUint32(end - ZIP64_LOCATOR_LENGTH, true) === ZIP64_LOCATOR_SIGNATURE) {
		const zip64EndOffset = Number(tailView.getBigUint64(end - ZIP64_LOCATOR_LENGTH + 8, true));
		if (zip64EndOffset + ZIP64_END_LENGTH > endOffset) return undefined;
		const record = await source.read(zip64EndOffset, ZIP64_END_LENGTH);
		const r = new DataView(record.buffer, record.byteOffset, record.byteLength);
		if (r.getUint32(0, true) !== ZIP64_END_SIGNATURE) return undefined;
		count = Number(r.getBigUint64(32, true));
		directorySize = Number(r.getBigUint64(40, true));
		directoryOffset = Number(r.getBigUint64(48, true));
		endOffset = zip64EndOffset;
		zip64 = true;
	}
	// Data before the first entry (a self-extracting stub) shifts every offset: leave it to zip.js.
	if (directoryOffset + directorySize !== endOffset) return undefined;
	const dir = await source.read(directoryOffset, directorySize);
	const view = new DataView(dir.buffer, dir.byteOffset, dir.byteLength);
	const entries: ZipEntryInfo[] = [];
	let at = 0;
	// Walk to the end of the directory rather than trusting the count: some writers (fflate among
	// them) store over 65,535 entries without zip64, so the 16-bit count has wrapped.
	while (at < dir.length) {
		if (at + CENTRAL_LENGTH > dir.length || view.getUint32(at, true) !== CENTRAL_SIGNATURE) return undefined;
		const flags = view.getUint16(at + 8, true);
		let compressedSize = view.getUint32(at + 20, true);
		let uncompressedSize = view.getUint32(at + 24, true);
		const nameLength = view.getUint16(at + 28, true);
		const extraLength = view.getUint16(at + 30, true);
		const commentLength = view.getUint16(at + 32, true);
		let offset = view.getUint32(at + 42, true);
		if (compressedSize === U32_MAX || uncompressedSize === U32_MAX || offset === U32_MAX) {
			// The real values sit in the zip64 extra field, in this order, only for the fields marked.
			let field = zip64Field(view, at + CENTRAL_LENGTH + nameLength, extraLength);
			if (field < 0) return undefined;
			const next = () => {
				const v = Number(view.getBigUint64(field, true));
				field += 8;
				return v;
			};
			if (uncompressedSize === U32_MAX) uncompressedSize = next();
			if (compressedSize === U32_MAX) compressedSize = next();
			if (offset === U32_MAX) offset = next();
		}
		const nameBytes = dir.subarray(at + CENTRAL_LENGTH, at + CENTRAL_LENGTH + nameLength);
		const filename = decodeName(nameBytes, (flags & FLAG_UTF8) !== 0);
		if (filename === undefined) return undefined;
		entries.push({
			filename,
			directory: filename.endsWith('/'),
			encrypted: (flags & FLAG_ENCRYPTED) !== 0,
			offset,
			compressedSize,
			uncompressedSize,
			compressionMethod: view.getUint16(at + 10, true),
			crc32: view.getUint32(at + 16, true)
		});
		at += CENTRAL_LENGTH + nameLength + extraLength + commentLength;
	}
	return entries.length === count || (!zip64 && entries.length % 0x10000 === count) ? entries : undefined;
}

/** Where the zip64 extra field's values start, or -1. */
function zip64Field(view: DataView, start: number, length: number): number {
	for (let at = start; at + 4 <= start + length;) {
		const id = view.getUint16(at, true);
		const size = view.getUint16(at + 2, true);
		if (id === ZIP64_EXTRA) return at + 4 + size <= start + length ? at + 4 : -1;
		at += 4 + size;
	}
	return -1;
}

/** ASCII names (nearly all) without a decoder call; UTF-8 when flagged, else CP437 (the zip default, as Windows zippers write). */
function decodeName(bytes: Uint8Array, flaggedUtf8: boolean): string | undefined {
	let ascii = true;
	for (let i = 0; i < bytes.length; i++)
		if (bytes[i] > 0x7f) {
			ascii = false;
			break;
		}
	// apply() spreads the bytes as arguments: fine for names of ordinary length, a stack overflow
	// for a 65,000-byte one, which goes through the decoder instead.
	if (ascii) return bytes.length <= 1024 ? String.fromCharCode.apply(null, bytes as unknown as number[]) : latin1.decode(bytes);
	if (!flaggedUtf8) return cp437(bytes);
	try {
		return utf8.decode(bytes);
	} catch {
		return undefined;
	}
}

/** Code page 437's upper half (0x80-0xFF). */
const CP437_HIGH =
	'ÇüéâäàåçêëèïîìÄÅÉæÆôöòûùÿÖÜ¢£¥₧ƒáíóúñÑªº¿⌐¬½¼¡«»░▒▓│┤╡╢╖╕╣║╗╝╜╛┐└┴┬├─┼╞╟╚╔╩╦╠═╬╧╨╤╥╙╘╒╓╫╪┘┌█▄▌▐▀αßΓπΣσµτΦΘΩδ∞φε∩≡±≥≤⌠⌡÷≈°∙·√ⁿ²■\u00a0';

export function cp437(bytes: Uint8Array): string {
	let out = '';
	for (const b of bytes) out += b < 0x80 ? String.fromCharCode(b) : CP437_HIGH[b - 0x80];
	return out;
}
