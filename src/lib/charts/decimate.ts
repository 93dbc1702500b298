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
 * reduced to at most 4 per column of `columns`. x must be ascending; NaN y values are dropped.
 * The result may be a view of the input: read it, do not write to it.
 */
export function decimateM4(x: Float64Array, y: Float64Array, xMin: number, xMax: number, columns: number): XY {
	const start = Math.max(0, lowerBound(x, xMin) - 1);
	const end = Math.min(x.length, lowerBound(x, xMax) + 1 + (x[lowerBound(x, xMax)] === xMax ? 1 : 0));
	const n = end - start;
	if (n <= columns * 4 || xMax <= xMin) {
		// Few enough points to draw them all. Without gaps the input is returned as views (no copy):
		// comparison charts take this path for each of 1,000s of runs, where copying dominated.
		let gaps = 0;
		for (let i = start; i < end; i++) if (y[i] !== y[i]) gaps++;
		if (gaps === 0) return { x: x.subarray(start, end), y: y.subarray(start, end) };
		const outX = new Float64Array(n - gaps);
		const outY = new Float64Array(n - gaps);
		for (let i = start, o = 0; i < end; i++) {
			if (y[i] !== y[i]) continue;
			outX[o] = x[i];
			outY[o++] = y[i];
		}
		return { x: outX, y: outY };
	}
	const outX = new Float64Array(columns * 4 + 2);
	const outY = new Float64Array(columns * 4 + 2);
	let o = 0;
	const scale = columns / (xMax - xMin);
	let column = -Infinity;
	let first = -1, last = -1, lo = -1, hi = -1;
	const flush = () => {
		if (first < 0) return;
		// The four in index order, without repeats.
		const picks = [first, lo, hi, last].sort((a, b) => a - b);
		let previous = -1;
		for (const i of picks) {
			if (i === previous) continue;
			outX[o] = x[i];
			outY[o] = y[i];
			o++;
			previous = i;
		}
	};
	for (let i = start; i < end; i++) {
		const v = y[i];
		if (Number.isNaN(v)) continue;
		const c = Math.min(columns, Math.max(-1, Math.floor((x[i] - xMin) * scale)));
		if (c !== column) {
			flush();
			column = c;
			first = last = lo = hi = i;
			continue;
		}
		last = i;
		if (v < y[lo]) lo = i;
		if (v > y[hi]) hi = i;
	}
	flush();
	return { x: outX.subarray(0, o), y: outY.subarray(0, o) };
}
