/**
 * Brushes of the parallel coordinates: a range per axis, in the axis's own units (a category
 * index for categorical axes). A run is active when it lies inside every brush; the whole
 * comparison (charts, tables, plots) shows only active runs. In the URL as
 * `brush=metrics.loss:0.1:0.4`.
 */
import type { Axis } from './values';

export type Brushes = Map<string, [number, number]>;

export function parseBrushes(values: string[]): Brushes {
	const out: Brushes = new Map();
	for (const v of values) {
		const i = v.lastIndexOf(':', v.lastIndexOf(':') - 1);
		const [lo, hi] = v
			.slice(i + 1)
			.split(':')
			.map(Number);
		if (i > 0 && Number.isFinite(lo) && Number.isFinite(hi)) out.set(v.slice(0, i), [Math.min(lo, hi), Math.max(lo, hi)]);
	}
	return out;
}

export function formatBrushes(b: Brushes): string[] {
	return [...b].map(([id, [lo, hi]]) => `${id}:${Number(lo.toPrecision(6))}:${Number(hi.toPrecision(6))}`);
}

/** Per run: inside every brush (a run missing a brushed value is outside). */
export function activeRuns(count: number, axes: { id: string; axis: Axis }[], brushes: Brushes): boolean[] {
	const out = new Array<boolean>(count).fill(true);
	for (const { id, axis } of axes) {
		const b = brushes.get(id);
		if (!b) continue;
		for (let i = 0; i < count; i++) {
			const v = axis.values[i];
			if (!(v >= b[0] && v <= b[1])) out[i] = false;
		}
	}
	return out;
}
