/**
 * M4 decimation: for each pixel column keep the first, last, lowest and highest point, in order.
 * The line drawn from those is the same, pixel for pixel, as the line through every point, so no
 * spike is lost (MLflow's UI samples 320 points and drops them). Cost is one pass over the points
 * in view; the output has at most 4 points per column.
 */
export interface XY {
	x: Float64Array;
	y: Float64Array;
}

/** First index with x[i] >= v (x ascending). */
function lowerBound(x: Float64Array, v: number): number {
	let lo = 0;
	let hi = x.length;
	while (lo < hi) {
		const mid = (lo + hi) >>> 1;
		if (x[mid] < v) lo = mid + 1;
		else hi = mid;
	}
	return lo;
}

/**
 * Points of (x, y) within [xMin, xMax] (plus one on each side, so lines run to the edges),
 * reduced to at most 4 per column of `columns`. x must be ascending. y values that cannot be drawn
 * are dropped: NaN and ±Infinity, and values <= 0 when `positiveOnly` (a log scale). Checking here,
 * in the one pass, saves callers a filtered copy of every history.
 * The result may be a view of the input: read it, do not write to it.
 */
export function decimateM4(x: Float64Array, y: Float64Array, xMin: number, xMax: number, columns: number, positiveOnly = false): XY {
	const start = Math.max(0, lowerBound(x, xMin) - 1);
	const end = Math.min(x.length, lowerBound(x, xMax) + 1 + (x[lowerBound(x, xMax)] === xMax ? 1 : 0));
	const n = end - start;
	// v - v is 0 only for finite v.
	const skip = (v: number) => v - v !== 0 || (positiveOnly && !(v > 0));
	if (n <= columns * 4 || xMax <= xMin) {
		// Few enough points to draw them all. Without gaps the input is returned as views (no copy):
		// comparison charts take this path for each of 1,000s of runs, where copying dominated.
		let gaps = 0;
		for (let i = start; i < end; i++) if (skip(y[i])) gaps++;
		if (gaps === 0) return { x: x.subarray(start, end), y: y.subarray(start, end) };
		const outX = new Float64Array(n - gaps);
		const outY = new Float64Array(n - gaps);
		for (let i = start, o = 0; i < end; i++) {
			if (skip(y[i])) continue;
			outX[o] = x[i];
			outY[o++] = y[i];
		}
		return { x: outX, y: outY };
	}
	const outX = new Float64Array(columns * 4 + 2);
	const outY = new Float64Array(columns * 4 + 2);
	let o = 0;
	let previous = -1;
	const emit = (i: number) => {
		if (i === previous) return;
		outX[o] = x[i];
		outY[o] = y[i];
		o++;
		previous = i;
	};
	let first = -1, last = -1, lo = -1, hi = -1;
	let yLo = 0, yHi = 0;
	// The four in index order, without repeats: first and last bound the column, so only the
	// lowest and highest need ordering (no array and sort per column: this runs on every zoom).
	const flush = () => {
		if (first < 0) return;
		emit(first);
		emit(Math.min(lo, hi));
		emit(Math.max(lo, hi));
		emit(last);
	};
	// Per point, only a multiply and a compare decide whether a new column starts (x ascends);
	// its number (floored and clamped) is worked out once per column. t >= c + 1 exactly when
	// floor(t) > c, so columns match a per-point floor.
	const scale = columns / (xMax - xMin);
	let column = -Infinity;
	let nextColumn = -Infinity;
	for (let i = start; i < end; i++) {
		const v = y[i];
		// skip(v), written out: the closure call per point cost ~40% more in this loop.
		if (v - v !== 0 || (positiveOnly && !(v > 0))) continue;
		const t = (x[i] - xMin) * scale;
		if (t >= nextColumn) {
			const c = Math.min(columns, Math.max(-1, Math.floor(t)));
			if (c !== column) {
				flush();
				column = c;
				nextColumn = c >= columns ? Infinity : c + 1;
				first = last = lo = hi = i;
				yLo = yHi = v;
				continue;
			}
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
