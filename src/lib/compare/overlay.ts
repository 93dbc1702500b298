/**
 * Many runs' lines on one chart. uPlot draws series that share one x array; runs log different
 * steps and times, so each run is first reduced per pixel column (M4, as a single-run chart) and
 * the results are joined on their x values. When the join would be large (many runs with
 * unaligned x), each point's x is snapped to one of 4 slots of its pixel column, in order: an
 * error below one pixel, and the joined x array never exceeds 4 per column however many runs.
 * Work per redraw is O(points in view) and the output O(runs x columns).
 */
import { decimateM4 } from '../charts/decimate';

export interface Line {
	/** Ascending x, with y to match; NaN y values are gaps. */
	x: Float64Array;
	y: Float64Array;
}

export interface Overlay {
	x: number[];
	/** Per line, y at each x (null where the line has no point). */
	ys: (number | null)[][];
	/** Points drawn over all lines. */
	drawn: number;
	/** The whole data, not cut to [xMin, xMax]: a zoom needs no new data. */
	full?: boolean;
}

const SLOTS = 4;

/** Under this many points in all, lines that share their x values go to uPlot as they are. */
const SHARED_X_LIMIT = 4_000_000;

/** Every line has the same x values (runs logged at the same steps: the common case). */
function sharedX(lines: Line[]): boolean {
	const first = lines[0].x;
	for (const l of lines) {
		if (l.x === first) continue;
		if (l.x.length !== first.length) return false;
		for (let i = 0; i < first.length; i++) if (l.x[i] !== first[i]) return false;
	}
	return true;
}

export function overlayData(lines: Line[], xMin: number, xMax: number, columns: number): Overlay {
	// Shared x: uPlot's own line paths already reduce each series per pixel (min/max per column),
	// so the data goes as it is: no reduction, no join, and zooming needs no new data.
	if (lines.length > 0 && lines.length * lines[0].x.length <= SHARED_X_LIMIT && sharedX(lines)) {
		const ys = lines.map((l) => {
			let gaps = false;
			for (let i = 0; i < l.y.length && !gaps; i++) if (l.y[i] !== l.y[i]) gaps = true;
			// uPlot reads gaps as null; NaN would poison its min/max.
			return (gaps ? Array.from(l.y, (v) => (v === v ? v : null)) : l.y) as unknown as (number | null)[];
		});
		return { x: lines[0].x as unknown as number[], ys, drawn: lines.length * lines[0].x.length, full: true };
	}
	const reduced = lines.map((l) => decimateM4(l.x, l.y, xMin, xMax, columns));
	const distinct = new Set<number>();
	let aligned = true;
	for (const r of reduced) {
		for (const v of r.x) {
			distinct.add(v);
			if (distinct.size > 2 * SLOTS * columns) {
				aligned = false;
				break;
			}
		}
		if (!aligned) break;
	}
	const placed = aligned ? reduced.map((r) => r.x) : reduced.map((r) => snap(r.x, xMin, xMax, columns));
	// Aligned, the distinct x values are already known from the check above.
	const all = aligned ? distinct : new Set<number>();
	if (!aligned) for (const p of placed) for (const v of p) all.add(v);
	const x = Float64Array.from(all).sort();
	let drawn = 0;
	// Each line's x is ascending, as is the union: a merge walk places every point without hashing
	// (a Map lookup per point was half the cost of a 1,000-run chart).
	const ys = reduced.map((r, k) => {
		const y: (number | null)[] = new Array(x.length).fill(null);
		const p = placed[k];
		let j = 0;
		for (let i = 0; i < p.length; i++) {
			while (x[j] < p[i]) j++;
			y[j] = r.y[i];
		}
		drawn += p.length;
		return y;
	});
	return { x: Array.from(x), ys, drawn };
}

/**
 * x values moved to slot positions of their pixel column, keeping their order (a column holds at
 * most 4 points after M4). Points outside [xMin, xMax] (the one kept on each side so lines reach
 * the edges) keep their x, so the edge segments keep their slope.
 */
function snap(xs: Float64Array, xMin: number, xMax: number, columns: number): Float64Array {
	const out = new Float64Array(xs.length);
	const width = (xMax - xMin) / columns;
	let i = 0;
	while (i < xs.length) {
		const v = xs[i];
		if (v < xMin || v > xMax) {
			out[i++] = v;
			continue;
		}
		const column = Math.min(columns - 1, Math.floor((v - xMin) / width));
		let end = i + 1;
		while (end < xs.length && xs[end] <= xMax && Math.min(columns - 1, Math.floor((xs[end] - xMin) / width)) === column) end++;
		const k = end - i;
		let previous = -1;
		for (let j = 0; j < k; j++) {
			const frac = (xs[i + j] - xMin) / width - column;
			const slot = Math.max(previous + 1, Math.min(Math.floor(frac * SLOTS), SLOTS - k + j));
			out[i + j] = xMin + (column + (slot + 0.5) / SLOTS) * width;
			previous = slot;
		}
		i = end;
	}
	return out;
}

/** The y range holding all values but the top and bottom `tail` fraction: outlier clipping. */
export function clippedRange(ys: ArrayLike<number | null>[], tail = 0.02): [number, number] | undefined {
	// A strided sample bounds the sort for huge overlays (percentiles barely move), and a typed
	// array sorts numerically without a comparator, several times faster.
	const total = ys.reduce((n, y) => n + y.length, 0);
	const stride = Math.max(1, Math.floor(total / 200_000));
	const sample = new Float64Array(Math.ceil(total / stride));
	let n = 0;
	let k = 0;
	for (const y of ys) {
		for (let i = 0; i < y.length; i++) {
			const v = y[i];
			if (v !== null && Number.isFinite(v) && k++ % stride === 0) sample[n++] = v;
		}
	}
	if (n < 2) return undefined;
	const values = sample.subarray(0, n).sort();
	const lo = values[Math.floor(tail * (n - 1))];
	const hi = values[Math.ceil((1 - tail) * (n - 1))];
	if (!(hi > lo)) return undefined;
	const pad = (hi - lo) * 0.05;
	return [lo - pad, hi + pad];
}

/** The line's point nearest to x (by x), for hover read-outs. */
export function pointNear(line: Line, x: number): { x: number; y: number } | undefined {
	const xs = line.x;
	if (xs.length === 0) return undefined;
	let lo = 0;
	let hi = xs.length - 1;
	while (lo < hi) {
		const mid = (lo + hi) >>> 1;
		if (xs[mid] < x) lo = mid + 1;
		else hi = mid;
	}
	const i = lo > 0 && Math.abs(xs[lo - 1] - x) <= Math.abs(xs[lo] - x) ? lo - 1 : lo;
	return { x: xs[i], y: line.y[i] };
}
