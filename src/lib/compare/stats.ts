/** Small statistics for the box and contour plots. */

/** Quantile of sorted values, linear between neighbours (numpy's default). */
export function quantile(sorted: ArrayLike<number>, q: number): number {
	if (sorted.length === 0) return NaN;
	const pos = (sorted.length - 1) * q;
	const lo = Math.floor(pos);
	const hi = Math.ceil(pos);
	return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

export interface BoxStats {
	n: number;
	min: number;
	q1: number;
	median: number;
	q3: number;
	max: number;
	/** Whisker ends: the furthest values within 1.5 IQR of the box (Tukey). */
	low: number;
	high: number;
	outliers: number[];
}

export function boxStats(values: number[]): BoxStats | undefined {
	const s = values.filter(Number.isFinite).sort((a, b) => a - b);
	if (s.length === 0) return undefined;
	const q1 = quantile(s, 0.25);
	const q3 = quantile(s, 0.75);
	const fence = 1.5 * (q3 - q1);
	const inside = s.filter((v) => v >= q1 - fence && v <= q3 + fence);
	return {
		n: s.length,
		min: s[0],
		q1,
		median: quantile(s, 0.5),
		q3,
		max: s[s.length - 1],
		low: inside[0],
		high: inside[inside.length - 1],
		outliers: s.filter((v) => v < q1 - fence || v > q3 + fence)
	};
}

/**
 * A metric z over two params (x, y) as a grid: each cell is the inverse-distance-weighted mean of
 * the runs (distances in axis-normalized units), so scattered hyperparameter trials give a
 * smooth surface. Cells far from every run stay NaN rather than invent values.
 */
export function idwGrid(
	points: { x: number; y: number; z: number }[],
	xRange: [number, number],
	yRange: [number, number],
	size: number
): Float64Array {
	const grid = new Float64Array(size * size).fill(NaN);
	const sx = xRange[1] - xRange[0] || 1;
	const sy = yRange[1] - yRange[0] || 1;
	// How far a run's value reaches, in normalized units: far enough that the sparsest run meets a
	// neighbour (a coarse 3 x 2 grid search fills its square), within [0.35, 0.75] so that one
	// lone run does not paint the whole plot.
	let sparsest = 0;
	points.forEach((p, i) => {
		let nearest = Infinity;
		points.forEach((q, j) => {
			if (i !== j) nearest = Math.min(nearest, Math.hypot((p.x - q.x) / sx, (p.y - q.y) / sy));
		});
		if (Number.isFinite(nearest)) sparsest = Math.max(sparsest, nearest);
	});
	const reach = Math.min(0.75, Math.max(0.35, 1.5 * sparsest));
	for (let j = 0; j < size; j++) {
		for (let i = 0; i < size; i++) {
			const gx = i / (size - 1);
			const gy = j / (size - 1);
			let wsum = 0;
			let zsum = 0;
			let nearest = Infinity;
			for (const p of points) {
				const dx = (p.x - xRange[0]) / sx - gx;
				const dy = (p.y - yRange[0]) / sy - gy;
				const d2 = dx * dx + dy * dy;
				nearest = Math.min(nearest, d2);
				if (d2 < 1e-12) {
					wsum = 1;
					zsum = p.z;
					break;
				}
				const w = 1 / (d2 * d2);
				wsum += w;
				zsum += w * p.z;
			}
			if (Math.sqrt(nearest) <= reach) grid[j * size + i] = zsum / wsum;
		}
	}
	return grid;
}
