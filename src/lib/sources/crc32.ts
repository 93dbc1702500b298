/**
 * CRC-32 (IEEE, as zip stores it), slicing-by-8: eight table lookups per 8 bytes instead of one
 * per byte, ~4x faster than the byte-wise loop in V8 (every byte of every zip entry goes through
 * it, so it is on the import's hot path).
 */
const TABLES = (() => {
	const t = new Int32Array(256 * 8);
	for (let n = 0; n < 256; n++) {
		let c = n;
		for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
		t[n] = c;
	}
	for (let n = 0; n < 256; n++) {
		let c = t[n];
		for (let k = 1; k < 8; k++) {
			c = t[c & 0xff] ^ (c >>> 8);
			t[k * 256 + n] = c;
		}
	}
	return t;
})();

export function crc32(data: Uint8Array): number {
	const t = TABLES;
	let crc = -1;
	let i = 0;
	const end8 = data.length - (data.length % 8);
	for (; i < end8; i += 8) {
		const a = (data[i] | (data[i + 1] << 8) | (data[i + 2] << 16) | (data[i + 3] << 24)) ^ crc;
		crc =
			t[1792 + (a & 0xff)] ^
			t[1536 + ((a >>> 8) & 0xff)] ^
			t[1280 + ((a >>> 16) & 0xff)] ^
			t[1024 + (a >>> 24)] ^
			t[768 + data[i + 4]] ^
			t[512 + data[i + 5]] ^
			t[256 + data[i + 6]] ^
			t[data[i + 7]];
	}
	for (; i < data.length; i++) crc = t[(crc ^ data[i]) & 0xff] ^ (crc >>> 8);
	return (crc ^ -1) >>> 0;
}
