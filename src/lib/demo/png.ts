/** Small PNGs written without a canvas: the demo's logged images, and tests' images whose pixels say which they are. */
import { zlibSync } from 'fflate';
import { crc32 } from '../sources/crc32';
import { concatBytes } from '../sources/bytes';

function chunk(type: string, data: Uint8Array): Uint8Array {
	const out = new Uint8Array(12 + data.length);
	const view = new DataView(out.buffer);
	view.setUint32(0, data.length);
	out.set(new TextEncoder().encode(type), 4);
	out.set(data, 8);
	view.setUint32(8 + data.length, crc32(out.subarray(4, 8 + data.length)));
	return out;
}

/** An 8-bit RGB PNG of `width` x `height`, each pixel from `pixel(x, y)`. */
export function png(width: number, height: number, pixel: (x: number, y: number) => [number, number, number]): Uint8Array {
	const header = new Uint8Array(13);
	const h = new DataView(header.buffer);
	h.setUint32(0, width);
	h.setUint32(4, height);
	header.set([8, 2, 0, 0, 0], 8); // 8-bit RGB, no interlace
	const stride = 1 + width * 3;
	const raw = new Uint8Array(height * stride);
	for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) raw.set(pixel(x, y), y * stride + 1 + x * 3);
	const parts = [
		new Uint8Array([137, 80, 78, 71, 13, 10, 26, 10]),
		chunk('IHDR', header),
		chunk('IDAT', zlibSync(raw)),
		chunk('IEND', new Uint8Array())
	];
	return concatBytes(parts);
}

/** A solid-colour PNG of `size` x `size` pixels. */
export function solidPng(rgb: [number, number, number], size = 8): Uint8Array {
	return png(size, size, () => rgb);
}
