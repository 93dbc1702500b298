/**
 * Keeps a uPlot chart as wide as its container. The observer also fires once on observe():
 * resizing to the same width would redraw for nothing, so only a real change resizes.
 * Returns the cleanup, which also destroys the chart.
 */
import type uPlot from 'uplot';

export function followWidth(el: HTMLElement, plot: uPlot, height: number, width: number): () => void {
	let drawnWidth = width;
	const resize = new ResizeObserver(() => {
		if (el.clientWidth === drawnWidth) return;
		drawnWidth = el.clientWidth;
		plot.setSize({ width: drawnWidth, height });
	});
	resize.observe(el);
	return () => {
		resize.disconnect();
		plot.destroy();
	};
}
