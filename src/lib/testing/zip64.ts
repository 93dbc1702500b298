/**
 * Adds a zip64 end-of-directory record and locator to a zip that fflate wrote, as Python's
 * zipfile and Info-ZIP do for archives of over 65,535 files (fflate lets the 16-bit count wrap).
 * Offsets stay 32-bit, so entries need no zip64 extra field.
 */
const END_LENGTH = 22;

export function withZip64End(zip: Uint8Array, count: number): Uint8Array {
	const end = zip.length - END_LENGTH;
	const src = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
	if (src.getUint32(end, true) !== 0x06054b50) throw new Error('expected an end record without a comment');
	const directorySize = src.getUint32(end + 12, true);
	const directoryOffset = src.getUint32(end + 16, true);
	const out = new Uint8Array(end + 56 + 20 + END_LENGTH);
	out.set(zip.subarray(0, end));
	const v = new DataView(out.buffer);
	let at = end;
	v.setUint32(at, 0x06064b50, true);
	v.setBigUint64(at + 4, 44n, true);
	v.setUint16(at + 12, 45, true);
	v.setUint16(at + 14, 45, true);
	v.setBigUint64(at + 24, BigInt(count), true);
	v.setBigUint64(at + 32, BigInt(count), true);
	v.setBigUint64(at + 40, BigInt(directorySize), true);
	v.setBigUint64(at + 48, BigInt(directoryOffset), true);
	at += 56;
	v.setUint32(at, 0x07064b50, true);
	v.setBigUint64(at + 8, BigInt(end), true);
	v.setUint32(at + 16, 1, true);
	at += 20;
	out.set(zip.subarray(end), at);
	const countField = Math.min(count, 0xffff);
	v.setUint16(at + 8, countField, true);
	v.setUint16(at + 10, countField, true);
	return out;
}
