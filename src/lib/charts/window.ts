/**
 * The x window of a chart whose data is reduced for what is in view (M4 per pixel column) and
 * re-reduced from the full data on every zoom.
 *
 * uPlot works out which data indices are in view (i0, i1) when the x scale is set, against the
 * data it holds then. Swapping the data from inside its setScale hook keeps the old indices over
 * the new, shorter arrays: a zoomed line started mid-window or vanished, and the legend read
 * "NaN" past the end. So a window is always applied in one order, new data first, then the scale:
 * uPlot's drag-zoom is turned off and every way of changing the window (drag, double-click, keys)
 * goes through `show`.
 */
import type uPlot from 'uplot';

export interface ChartWindow {
	/** Cursor options: drag selects a range without zooming, double-click resets. */
	cursor: uPlot.Cursor;
	/** setSelect hook: zooms to the dragged range. */
	setSelect: (u: uPlot) => void;
	/** Shows [min, max]: data for it (unless it is whole), then the scale. */
	show: (u: uPlot, min: number, max: number) => void;
	/** Shows the whole x range. */
	reset: (u: uPlot) => void;
}

/**
 * `dataFor(min, max)` returns the data for a window, or null when the data in hand is whole
 * (not cut to a window), so that only the scale changes.
 */
export function chartWindow(
	full: () => readonly [number, number],
	dataFor: (min: number, max: number) => uPlot.AlignedData | null,
	cursor: uPlot.Cursor = {}
): ChartWindow {
	const show = (u: uPlot, min: number, max: number) => {
		if (!(max > min)) return;
		u.batch(() => {
			const data = dataFor(min, max);
			if (data) u.setData(data, false);
			u.setScale('x', { min, max });
		});
	};
	const reset = (u: uPlot) => show(u, ...full());
	return {
		cursor: {
			...cursor,
			drag: { x: true, y: false, setScale: false },
			bind: { ...cursor.bind, dblclick: (u) => () => (reset(u), null) }
		},
		setSelect(u) {
			const { left, width } = u.select;
			if (width < 2) return;
			const min = u.posToVal(left, 'x');
			const max = u.posToVal(left + width, 'x');
			u.setSelect({ left: 0, top: 0, width: 0, height: 0 }, false);
			show(u, min, max);
		},
		show,
		reset
	};
}
