/**
 * Shared plumbing of the small canvas charts uPlot lacks (parallel coordinates, scatter colored by
 * a third value, box and contour plots): crisp sizing on high-DPI screens, nice ticks, scales.
 */
import { cssColor } from '../client/theme.svelte';
import { formatNumber } from '../format';

/** Sizes the canvas backing store to the device pixel ratio and returns a context in CSS pixels. */
export function prepare(canvas: HTMLCanvasElement, width: number, height: number): CanvasRenderingContext2D {
	const ratio = window.devicePixelRatio || 1;
	canvas.width = Math.round(width * ratio);
	canvas.height = Math.round(height * ratio);
	canvas.style.width = `${width}px`;
	canvas.style.height = `${height}px`;
	const ctx = canvas.getContext('2d')!;
	ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
	ctx.clearRect(0, 0, width, height);
	ctx.font = '11px system-ui, sans-serif';
	return ctx;
}

/** About `count` round tick values covering [min, max]. */
export function niceTicks(min: number, max: number, count = 5): number[] {
	if (!Number.isFinite(min) || !Number.isFinite(max)) return [];
	if (max === min) return [min];
	const raw = (max - min) / count;
	const mag = 10 ** Math.floor(Math.log10(raw));
	const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? raw;
	const out: number[] = [];
	for (let v = Math.ceil(min / step) * step; v <= max + step * 1e-9; v += step) out.push(Number(v.toPrecision(12)));
	return out;
}

/** Maps [d0, d1] to [r0, r1]; a zero-width domain maps to the middle. */
export function scale(d0: number, d1: number, r0: number, r1: number): (v: number) => number {
	if (d1 === d0) return () => (r0 + r1) / 2;
	const k = (r1 - r0) / (d1 - d0);
	return (v) => r0 + (v - d0) * k;
}

/** Short axis labels: 4 significant digits, exponent form for very small or large values. */
export function tickLabel(v: number): string {
	if (!Number.isFinite(v)) return formatNumber(v);
	const a = Math.abs(v);
	if (a !== 0 && (a < 1e-3 || a >= 1e6)) return v.toExponential(1);
	return String(Number(v.toPrecision(4)));
}

/**
 * Labels for a run of ticks, told apart: with the default precision, ticks 6.40e-4, 6.45e-4 and
 * 6.50e-4 read "6.4e-4", "6.5e-4", "6.5e-4" on a narrow axis. Digits are added until no two
 * different values share a label.
 */
export function tickLabels(values: number[]): string[] {
	const distinct = (labels: string[]) => new Set(labels).size === new Set(values).size;
	let labels = values.map(tickLabel);
	for (let digits = 2; !distinct(labels) && digits <= 15; digits++) {
		labels = values.map((v) => {
			const a = Math.abs(v);
			if (!Number.isFinite(v)) return formatNumber(v);
			return a !== 0 && (a < 1e-3 || a >= 1e6) ? v.toExponential(digits) : String(Number(v.toPrecision(digits + 3)));
		});
	}
	return labels;
}

/** Ticks of [min, max] with their labels (tickLabels). */
export function labelledTicks(min: number, max: number, count = 5): { v: number; label: string }[] {
	const ticks = niceTicks(min, max, count);
	const labels = tickLabels(ticks);
	return ticks.map((v, i) => ({ v, label: labels[i] }));
}

/** Left edge of the plot box: room for tick labels and the rotated axis title. */
export const PLOT_LEFT = 70;

/** Axes of an x/y chart: ticks and labels on the left and bottom edges of the plot box. */
export function drawAxes(
	ctx: CanvasRenderingContext2D,
	box: { left: number; top: number; right: number; bottom: number },
	x: { ticks: { at: number; label: string }[]; title: string },
	y: { ticks: { at: number; label: string }[]; title: string }
): void {
	ctx.strokeStyle = cssColor('--chart-grid');
	ctx.fillStyle = cssColor('--chart-text');
	ctx.lineWidth = 1;
	ctx.beginPath();
	ctx.moveTo(box.left, box.top);
	ctx.lineTo(box.left, box.bottom);
	ctx.lineTo(box.right, box.bottom);
	ctx.stroke();
	ctx.textAlign = 'center';
	ctx.textBaseline = 'top';
	for (const t of x.ticks) ctx.fillText(t.label, t.at, box.bottom + 4);
	ctx.textAlign = 'right';
	ctx.textBaseline = 'middle';
	for (const t of y.ticks) ctx.fillText(t.label, box.left - 4, t.at);
	ctx.textAlign = 'center';
	ctx.textBaseline = 'bottom';
	ctx.font = 'bold 11px system-ui, sans-serif';
	ctx.fillText(x.title, (box.left + box.right) / 2, box.bottom + 32);
	ctx.save();
	ctx.translate(12, (box.top + box.bottom) / 2);
	ctx.rotate(-Math.PI / 2);
	ctx.textBaseline = 'top';
	ctx.fillText(y.title, 0, -8);
	ctx.restore();
	ctx.font = '11px system-ui, sans-serif';
}

/** A stable offset in [-0.5, 0.5) for item i: jitter that does not move between redraws. */
export function jitter(i: number): number {
	return ((i * 2654435761) >>> 0) / 2 ** 32 - 0.5;
}
