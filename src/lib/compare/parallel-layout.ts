/**
 * Geometry of the parallel coordinates: where each axis stands, where a value sits on it, and
 * which value range a dragged pixel span selects. Kept apart from the canvas so it is tested.
 */
import type { Axis } from './values';

export interface PlotBox {
	left: number;
	right: number;
	top: number;
	bottom: number;
}

/** x of axis k of n, spread evenly between the box's edges (one axis: centred). */
export function axisX(k: number, n: number, box: PlotBox): number {
	return n < 2 ? (box.left + box.right) / 2 : box.left + (k * (box.right - box.left)) / (n - 1);
}

/** y of a value: the axis minimum at the bottom, the maximum at the top. */
export function valueY(axis: Axis, v: number, box: PlotBox): number {
	if (axis.max === axis.min) return (box.top + box.bottom) / 2;
	return box.bottom - ((v - axis.min) / (axis.max - axis.min)) * (box.bottom - box.top);
}

/** Within a few pixels of an axis end means the end itself, so a brush can include the extremes. */
export function snapY(y: number, box: PlotBox, slack = 6): number {
	return y <= box.top + slack ? box.top : y >= box.bottom - slack ? box.bottom : y;
}

/**
 * The value range between two pixel positions on an axis; on a categorical axis, the whole
 * categories whose positions fall inside it. Undefined when the span selects nothing.
 */
export function rangeOf(axis: Axis, y0: number, y1: number, box: PlotBox): [number, number] | undefined {
	const span = box.bottom - box.top;
	const at = (y: number) => (axis.max === axis.min ? axis.min : axis.min + ((box.bottom - y) / span) * (axis.max - axis.min));
	let lo = at(Math.max(y0, y1));
	let hi = at(Math.min(y0, y1));
	if (!axis.numeric) {
		[lo, hi] = [Math.ceil(lo - 1e-9), Math.floor(hi + 1e-9)];
		if (hi < lo) return undefined;
	}
	return [lo, hi];
}
