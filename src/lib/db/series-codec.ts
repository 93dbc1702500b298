/**
 * Packed metric history: one blob per (run, key) series.
 *
 * Charts read whole series and stores hold millions of points, so a row per point (MLflow's
 * `metrics` table: ~60 bytes a point with its index) is both large and slow to read back.
 * Layout, little-endian:
 *
 *   [0]      u8   format version (1)
 *   [1]      u8   flags: bit 0 = steps form an arithmetic progression (stored as start + stride)
 *   [2..4)   u16  reserved
 *   [4..8)   u32  point count n
 *   [8..)    f64  n values, raw (NaN and ±Infinity kept as they are); 8-aligned so decoding is a view
 *   then     steps: 2 x f64 (start, stride) when arithmetic, else n zig-zag varint deltas
 *   then     timestamps: f64 first timestamp, then n-1 zig-zag varint deltas
 *
 * Typical training curves (step 0..n-1, timestamps a few ms apart) cost 8 bytes for the value
 * plus 1-3 bytes of timestamp delta per point.
 */

export interface Series {
	steps: Float64Array;
	timestamps: Float64Array;
	values: Float64Array;
}

const VERSION = 1;
const ARITHMETIC_STEPS = 1;
const HEADER = 8;

/** Orders points by (step, timestamp, value) as MLflow's FileStore does; NaN sorts lowest. */
function comparePoints(s: Series, a: number, b: number): number {
	return s.steps[a] - s.steps[b] || s.timestamps[a] - s.timestamps[b] || compareValues(s.values[a], s.values[b]);
}

function compareValues(a: number, b: number): number {
	if (a === b) return 0;
	if (Number.isNaN(a)) return Number.isNaN(b) ? 0 : -1;
	if (Number.isNaN(b)) return 1;
	return a < b ? -1 : 1;
}

function samePoint(s: Series, a: number, b: number): boolean {
	return comparePoints(s, a, b) === 0;
}

/**
 * Sorts by (step, timestamp, value) and drops exact duplicate points (same step, timestamp and
 * value), which MLflow's SQL store cannot hold either (they share its primary key).
 */
export function normalizeSeries(s: Series): Series {
	const n = s.values.length;
	let sorted = true;
	for (let i = 1; i < n && sorted; i++) if (comparePoints(s, i - 1, i) >= 0) sorted = false;
	if (sorted) return s;
	const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => comparePoints(s, a, b));
	const keep: number[] = [];
	for (const i of order) if (keep.length === 0 || !samePoint(s, keep[keep.length - 1], i)) keep.push(i);
	const out = emptySeries(keep.length);
	keep.forEach((src, dst) => {
		out.steps[dst] = s.steps[src];
		out.timestamps[dst] = s.timestamps[src];
		out.values[dst] = s.values[src];
	});
	return out;
}

export function emptySeries(n: number): Series {
	return { steps: new Float64Array(n), timestamps: new Float64Array(n), values: new Float64Array(n) };
}

/** Union of two series, without duplicate points (used when the same run is imported again). */
export function mergeSeries(a: Series, b: Series): Series {
	const n = a.values.length + b.values.length;
	const out = emptySeries(n);
	out.steps.set(a.steps);
	out.steps.set(b.steps, a.values.length);
	out.timestamps.set(a.timestamps);
	out.timestamps.set(b.timestamps, a.values.length);
	out.values.set(a.values);
	out.values.set(b.values, a.values.length);
	// normalizeSeries treats equal neighbours as unsorted, so duplicates at the seam are dropped too.
	return normalizeSeries(out);
}

/** Summary kept beside the blob so tables never decode a series. Expects a normalized series. */
export interface SeriesSummary {
	count: number;
	/** Index of the latest point: greatest (step, timestamp, value), i.e. the last one. */
	latest: number;
	min: number;
	max: number;
}

export function summarize(s: Series): SeriesSummary {
	let min = Infinity;
	let max = -Infinity;
	for (const v of s.values) {
		if (v < min) min = v;
		if (v > max) max = v;
	}
	return { count: s.values.length, latest: s.values.length - 1, min, max };
}

function isArithmetic(steps: Float64Array): boolean {
	const n = steps.length;
	if (n < 2) return true;
	const stride = steps[1] - steps[0];
	for (let i = 2; i < n; i++) if (steps[i] - steps[i - 1] !== stride) return false;
	return true;
}

/** Encodes a normalized series. */
export function encodeSeries(s: Series): Uint8Array {
	const n = s.values.length;
	const arithmetic = isArithmetic(s.steps);
	// Worst case: 10 bytes per varint (safe integers need at most 8).
	const cap = HEADER + 8 * n + (arithmetic ? 16 : 10 * n) + 8 + 10 * n;
	const buf = new Uint8Array(cap);
	const view = new DataView(buf.buffer);
	buf[0] = VERSION;
	buf[1] = arithmetic ? ARITHMETIC_STEPS : 0;
	view.setUint32(4, n, true);
	new Float64Array(buf.buffer, HEADER, n).set(s.values);
	let p = HEADER + 8 * n;
	if (arithmetic) {
		view.setFloat64(p, n > 0 ? s.steps[0] : 0, true);
		view.setFloat64(p + 8, n > 1 ? s.steps[1] - s.steps[0] : 1, true);
		p += 16;
	} else {
		let prev = 0;
		for (let i = 0; i < n; i++) {
			p = writeZigzag(buf, p, s.steps[i] - prev);
			prev = s.steps[i];
		}
	}
	view.setFloat64(p, n > 0 ? s.timestamps[0] : 0, true);
	p += 8;
	for (let i = 1; i < n; i++) p = writeZigzag(buf, p, s.timestamps[i] - s.timestamps[i - 1]);
	return buf.slice(0, p);
}

export function decodeSeries(bytes: Uint8Array): Series {
	if (bytes[0] !== VERSION) throw new Error(`unknown metric series format ${bytes[0]}`);
	// sql.js hands out fresh buffers, but a view into a larger buffer may be unaligned: copy then.
	if (bytes.byteOffset % 8 !== 0) bytes = bytes.slice();
	const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
	const n = view.getUint32(4, true);
	const values = new Float64Array(bytes.buffer, bytes.byteOffset + HEADER, n).slice();
	const steps = new Float64Array(n);
	const timestamps = new Float64Array(n);
	let p = HEADER + 8 * n;
	if (bytes[1] & ARITHMETIC_STEPS) {
		const start = view.getFloat64(p, true);
		const stride = view.getFloat64(p + 8, true);
		for (let i = 0; i < n; i++) steps[i] = start + i * stride;
		p += 16;
	} else {
		p = readDeltas(bytes, p, 0, steps, 0);
	}
	if (n > 0) timestamps[0] = view.getFloat64(p, true);
	readDeltas(bytes, p + 8, timestamps[0], timestamps, 1);
	return { steps, timestamps, values };
}

/**
 * Fills out[from..] with the running sum of zig-zag varint deltas, starting at `acc`. Returns
 * the position after them. Inlined, with integer arithmetic for deltas of up to 4 bytes (2^27,
 * i.e. 37 hours of milliseconds): a page opens on a cold worker, where a call, a module variable
 * and float division per point made decoding 1M points take 20 to 60 ms.
 */
function readDeltas(buf: Uint8Array, p: number, acc: number, out: Float64Array, from: number): number {
	for (let i = from; i < out.length; i++) {
		let b = buf[p++];
		let u = b & 127;
		if (b & 128) {
			b = buf[p++];
			u |= (b & 127) << 7;
			if (b & 128) {
				b = buf[p++];
				u |= (b & 127) << 14;
				if (b & 128) {
					b = buf[p++];
					u |= (b & 127) << 21;
					if (b & 128) {
						// Longer: go on in float arithmetic (int64 deltas exceed 32 bits).
						let scale = 2 ** 28;
						do {
							b = buf[p++];
							u += (b & 127) * scale;
							scale *= 128;
						} while (b & 128);
						acc += u % 2 === 0 ? u / 2 : -(u + 1) / 2;
						out[i] = acc;
						continue;
					}
				}
			}
		}
		acc += (u >>> 1) ^ -(u & 1);
		out[i] = acc;
	}
	return p;
}

// Varints use arithmetic, not bitwise ops, because timestamps and steps are int64 in MLflow and
// deltas can exceed 32 bits; values stay within Number.MAX_SAFE_INTEGER.
function writeZigzag(buf: Uint8Array, p: number, v: number): number {
	v = Math.round(v); // steps and timestamps are integers in MLflow; guard against stray fractions
	let u = v >= 0 ? v * 2 : -v * 2 - 1;
	while (u >= 128) {
		buf[p++] = (u % 128) | 128;
		u = Math.floor(u / 128);
	}
	buf[p++] = u;
	return p;
}
