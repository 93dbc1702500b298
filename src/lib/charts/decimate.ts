/**
 * M4 decimation: for each pixel column keep the first, last, lowest and highest point, in order.
 * The line drawn from those is the same, pixel for pixel, as the line through every point, so no
 * spike is lost (MLflow's UI samples 320 points and drops them). Cost is one pass over the points
 * in view; the output has at most 5 points per column (the four, and one gap marker).
 */
export interface XY {
	x: Float64Array;
	/** NaN marks a gap: a logged value that cannot be drawn (NaN, ±Infinity, <= 0 on a log scale). */
	y: Float64Array;
}

/** First index with x[i] >= v (x ascending). */
export function lowerBound(x: ArrayLike<number>, v: number): number {
	let lo = 0;
	let hi = x.length;
	while (lo < hi) {
		const mid = (lo + hi) >>> 1;
		if (x[mid] < v) lo = mid + 1;
		else hi = mid;
	}
	return lo;
}

/** First index with x[i] > v (x ascending). */
function upperBound(x: ArrayLike<number>, v: number): number {
	let lo = 0;
	let hi = x.length;
	while (lo < hi) {
		const mid = (lo + hi) >>> 1;
		if (x[mid] <= v) lo = mid + 1;
		else hi = mid;
	}
	return lo;
}

/**
 * Points of (x, y) within [xMin, xMax], plus the stored point just before xMin and just after
 * xMax (so lines run to the window's edges, or stop where the data truly has a gap), reduced to at
 * most 5 per column of `columns`. x must be ascending; repeated x values (a step logged twice) are
 * points like any other. A value that cannot be drawn (NaN, ±Infinity, <= 0 when `positiveOnly`,
 * i.e. a log scale) becomes a gap marker (y NaN) at its x: one per column at most, so a line
 * breaks where its data does instead of bridging it or dropping to zero.
 * The result may be a view of the input: read it, do not write to it.
 */
export function decimateM4(x: Float64Array, y: Float64Array, xMin: number, xMax: number, columns: number, positiveOnly = false): XY {
	const start = Math.max(0, lowerBound(x, xMin) - 1);
	const end = Math.min(x.length, upperBound(x, xMax) + 1);
	const n = end - start;
	// v - v is 0 only for finite v.
	const skip = (v: number) => v - v !== 0 || (positiveOnly && !(v > 0));
	if (n <= columns * 4 || !(xMax > xMin)) {
		// Few enough points to draw them all. When every value can be drawn the input is returned as
		// views (no copy): comparison charts take this path for each of 1,000s of runs.
		let gaps = 0;
		for (let i = start; i < end; i++) if (skip(y[i])) gaps++;
		if (gaps === 0) return { x: x.subarray(start, end), y: y.subarray(start, end) };
		const outY = new Float64Array(n);
		for (let i = start; i < end; i++) outY[i - start] = skip(y[i]) ? NaN : y[i];
		return { x: x.subarray(start, end), y: outY };
	}
	const outX = new Float64Array(columns * 5 + 12);
	const outY = new Float64Array(columns * 5 + 12);
	let o = 0;
	let previous = -1;
	const emit = (i: number) => {
		if (i < 0 || i === previous) return;
		outX[o] = x[i];
		outY[o] = skip(y[i]) ? NaN : y[i];
		o++;
		previous = i;
	};
	let first = -1,
		last = -1,
		lo = -1,
		hi = -1,
		gap = -1;
	let yLo = 0,
		yHi = 0;
	// The points in index order, without repeats. first and last bound the column's drawable
	// points, so only the lowest, highest and gap need ordering (no array and sort per column:
	// this runs on every zoom).
	const flush = () => {
		if (first < 0) {
			emit(gap);
			return;
		}
		const a = Math.min(lo, hi);
		const b = Math.max(lo, hi);
		if (gap >= 0 && gap < first) emit(gap);
		emit(first);
		if (gap > first && gap < a) emit(gap);
		emit(a);
		if (gap > a && gap < b) emit(gap);
		emit(b);
		if (gap > b && gap < last) emit(gap);
		emit(last);
		if (gap > last) emit(gap);
	};
	// Per point, only a multiply and a compare decide whether a new column starts (x ascends);
	// its number (floored and clamped) is worked out once per column. t >= c + 1 exactly when
	// floor(t) > c, so columns match a per-point floor. The points beyond the edges get columns -1
	// and `columns`, so they are kept as they are (t == columns, x at xMax, is re-checked and stays
	// in the last column).
	const scale = columns / (xMax - xMin);
	let column = -Infinity;
	let nextColumn = -Infinity;
	for (let i = start; i < end; i++) {
		const t = (x[i] - xMin) * scale;
		if (t >= nextColumn) {
			// x == xMax is in the last column; only the point after the window is beyond it.
			const c = t > columns ? columns : Math.min(columns - 1, Math.max(-1, Math.floor(t)));
			if (c !== column) {
				flush();
				column = c;
				nextColumn = c >= columns ? Infinity : c + 1;
				first = last = lo = hi = gap = -1;
			}
		}
		const v = y[i];
		// skip(v), written out: the closure call per point cost ~40% more in this loop.
		if (v - v !== 0 || (positiveOnly && !(v > 0))) {
			if (gap < 0) gap = i;
			continue;
		}
		if (first < 0) {
			first = last = lo = hi = i;
			yLo = yHi = v;
			continue;
		}
		last = i;
		if (v < yLo) {
			lo = i;
			yLo = v;
		}
		if (v > yHi) {
			hi = i;
			yHi = v;
		}
	}
	flush();
	return { x: outX.subarray(0, o), y: outY.subarray(0, o) };
}
