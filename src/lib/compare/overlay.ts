/**
 * Many runs' lines on one chart. uPlot draws series that share one x array; runs log different
 * steps and times, so each run is first reduced per pixel column (M4, as a single-run chart) and
 * the results are joined on their x values. When the join would be large (many runs with
 * unaligned x), each point's x is snapped to one of 4 slots of its pixel column, in order: an
 * error below one pixel, and the joined x array never exceeds 4 per column however many runs.
 * Work per redraw is O(points in view) and the output O(runs x columns).
 */
import { decimateM4, lowerBound } from '../charts/decimate';

export interface Line {
	/** Ascending x, with y to match; NaN y values are gaps. */
	x: Float64Array;
	y: Float64Array;
}

export interface Overlay {
	/** Ascending; a value repeats where a line has several points at one x (a step logged twice). */
	x: number[];
	/**
	 * Per line, y at each x: a number, null for a gap in the line's own data (a NaN value; the line
	 * breaks there), undefined where the line has no point at that x (uPlot draws across it).
	 */
	ys: (number | null | undefined)[][];
	/** Per line, indices into x of points with no drawn neighbour (a single point, a point between
	 * gaps): these are drawn as dots, or they would not show at all. */
	isolated: number[][];
	/** Points drawn over all lines. */
	drawn: number;
	/** The whole data, not cut to [xMin, xMax]: a zoom needs no new data. */
	full?: boolean;
}

/** Slots per pixel column when x values are snapped: M4 keeps at most 5 points per column. */
const SLOTS = 5;

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

/** Indices (into `at`, or the line's own when `at` is absent) of drawable points with no drawable neighbour. */
function isolatedPoints(y: ArrayLike<number>, at?: ArrayLike<number>): number[] {
	const out: number[] = [];
	for (let i = 0; i < y.length; i++) {
		if (y[i] !== y[i]) continue;
		const before = i > 0 && y[i - 1] === y[i - 1];
		const after = i + 1 < y.length && y[i + 1] === y[i + 1];
		if (!before && !after) out.push(at ? at[i] : i);
	}
	return out;
}

/**
 * The lines joined on one x array for uPlot, reduced for the window [xMin, xMax] of `columns`
 * pixel columns. Every stored point is either kept or represented in its column's first, last,
 * lowest and highest point (M4), points that share an x (duplicate steps) included; gaps stay gaps.
 */
export function overlayData(lines: Line[], xMin: number, xMax: number, columns: number): Overlay {
	// Shared x: uPlot's own line paths already reduce each series per pixel (min/max per column),
	// so the data goes as it is: no reduction, no join, and zooming needs no new data.
	// One line (the run page, with its smoothed twin) is reduced instead: M4 costs ~1 ms per zoom
	// and leaves uPlot a few thousand points to range and path on each redraw, not millions.
	if (lines.length > 2 && lines.length * lines[0].x.length <= SHARED_X_LIMIT && sharedX(lines)) {
		let drawn = 0;
		const ys = lines.map((l) => {
			let gaps = 0;
			for (let i = 0; i < l.y.length; i++) if (l.y[i] !== l.y[i]) gaps++;
			drawn += l.y.length - gaps;
			// uPlot reads gaps as null; NaN would poison its min/max.
			return (gaps ? Array.from(l.y, (v) => (v === v ? v : null)) : l.y) as unknown as (number | null)[];
		});
		return { x: lines[0].x as unknown as number[], ys, isolated: lines.map((l) => isolatedPoints(l.y)), drawn, full: true };
	}
	const reduced = lines.map((l) => decimateM4(l.x, l.y, xMin, xMax, columns));
	if (reduced.length === 1) {
		// One line (a run page chart): its reduction is the data, no join.
		const r = reduced[0];
		let gaps = 0;
		for (let i = 0; i < r.y.length; i++) if (r.y[i] !== r.y[i]) gaps++;
		const y = (gaps ? Array.from(r.y, (v) => (v === v ? v : null)) : r.y) as unknown as (number | null)[];
		return { x: r.x as unknown as number[], ys: [y], isolated: [isolatedPoints(r.y)], drawn: r.y.length - gaps };
	}
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
	// An x a line holds k times gets k slots, so no point overwrites another (rare: checked by
	// neighbour compare, a Map only for the repeats).
	const repeats = new Map<number, number>();
	for (const p of placed) {
		for (let i = 1; i < p.length; i++) {
			if (p[i] !== p[i - 1]) continue;
			let k = 2;
			while (i + 1 < p.length && p[i + 1] === p[i]) {
				i++;
				k++;
			}
			if ((repeats.get(p[i]) ?? 1) < k) repeats.set(p[i], k);
		}
	}
	const unique = Float64Array.from(all).sort();
	let x: Float64Array = unique;
	if (repeats.size) {
		const out: number[] = [];
		for (const v of unique) for (let k = repeats.get(v) ?? 1; k > 0; k--) out.push(v);
		x = Float64Array.from(out);
	}
	let drawn = 0;
	const isolated: number[][] = [];
	// Each line's x is ascending, as is the union: a merge walk places every point without hashing
	// (a Map lookup per point was half the cost of a 1,000-run chart).
	const ys = reduced.map((r, k) => {
		const y: (number | null | undefined)[] = new Array(x.length).fill(undefined);
		const p = placed[k];
		const at = new Array<number>(p.length);
		let j = 0;
		for (let i = 0; i < p.length; i++) {
			while (x[j] < p[i]) j++;
			const v = r.y[i];
			y[j] = v === v ? v : null;
			if (v === v) drawn++;
			at[i] = j++;
		}
		isolated.push(isolatedPoints(r.y, at));
		return y;
	});
	return { x: Array.from(x), ys, isolated, drawn };
}

/**
 * x values moved to slot positions of their pixel column, keeping their order (a column holds at
 * most 5 points after M4; more only for short lines passed through whole, which get one position
 * each). Points outside [xMin, xMax] (the one kept on each side so lines reach the edges) keep
 * their x, so the edge segments keep their slope.
 */
function snap(xs: Float64Array, xMin: number, xMax: number, columns: number): Float64Array {
	const out = new Float64Array(xs.length);
	const width = (xMax - xMin) / columns;
	const columnOf = (v: number) => Math.min(columns - 1, Math.floor((v - xMin) / width));
	let i = 0;
	while (i < xs.length) {
		const v = xs[i];
		if (v < xMin || v > xMax) {
			out[i++] = v;
			continue;
		}
		const column = columnOf(v);
		let end = i + 1;
		while (end < xs.length && xs[end] <= xMax && columnOf(xs[end]) === column) end++;
		const k = end - i;
		if (k > SLOTS) {
			for (let j = 0; j < k; j++) out[i + j] = xMin + (column + (j + 0.5) / k) * width;
		} else {
			let previous = -1;
			for (let j = 0; j < k; j++) {
				const frac = (xs[i + j] - xMin) / width - column;
				const slot = Math.max(previous + 1, Math.min(Math.floor(frac * SLOTS), SLOTS - k + j));
				out[i + j] = xMin + (column + (slot + 0.5) / SLOTS) * width;
				previous = slot;
			}
		}
		i = end;
	}
	return out;
}

/** The y range holding all values but the top and bottom `tail` fraction: outlier clipping. */
export function clippedRange(ys: ArrayLike<number | null | undefined>[], tail = 0.02): [number, number] | undefined {
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
			if (v != null && Number.isFinite(v) && k++ % stride === 0) sample[n++] = v;
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

/**
 * The y extent of what a window shows: values at x in [xMin, xMax], and each line's value where
 * it crosses the window's edges (interpolated between the points either side). uPlot ranges y on
 * the in-window points only, so a line entering from a higher point outside the window ran off
 * the top of the chart at the edge. x ascends: the window is found by binary search, and the
 * work is the points in view (a zoom into 1M points reads only what it shows).
 */
export function yExtent(o: Pick<Overlay, 'x' | 'ys'>, xMin: number, xMax: number): [number, number] | undefined {
	let lo = Infinity;
	let hi = -Infinity;
	const xs = o.x;
	const first = lowerBound(xs, xMin);
	let end = first;
	while (end < xs.length && xs[end] <= xMax) end++;
	const edge = (x0: number, y0: number, x1: number, y1: number, at: number) => {
		if (x1 === x0) return;
		const v = y0 + ((y1 - y0) * (at - x0)) / (x1 - x0);
		if (v < lo) lo = v;
		if (v > hi) hi = v;
	};
	for (const ys of o.ys) {
		let inFirst = -1;
		let inLast = -1;
		for (let i = first; i < end; i++) {
			const v = ys[i];
			if (v == null) {
				// A gap (null) inside the window breaks the line: no crossing to draw at that edge.
				if (v === null && inFirst < 0) inFirst = -2;
				if (v === null) inLast = -2;
				continue;
			}
			if (inFirst === -1) inFirst = i;
			inLast = i;
			if (v < lo) lo = v;
			if (v > hi) hi = v;
		}
		// The nearest point before the window and after it (skipping alignment holes, stopping at gaps).
		let before = first - 1;
		while (before >= 0 && ys[before] === undefined) before--;
		let after = end;
		while (after < xs.length && ys[after] === undefined) after++;
		const b = before >= 0 ? ys[before] : null;
		const a = after < xs.length ? ys[after] : null;
		if (b != null) {
			if (inFirst >= 0) edge(xs[before], b, xs[inFirst], ys[inFirst] as number, xMin);
			else if (inFirst === -1 && a != null) edge(xs[before], b, xs[after], a, xMin);
		}
		if (a != null) {
			if (inLast >= 0) edge(xs[inLast], ys[inLast] as number, xs[after], a, xMax);
			else if (inLast === -1 && b != null) edge(xs[before], b, xs[after], a, xMax);
		}
	}
	return lo <= hi ? [lo, hi] : undefined;
}
