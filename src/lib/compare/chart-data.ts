/**
 * A run's line on a comparison chart: its metric history on the chosen x axis (step, wall time,
 * time since the run's first point, or another metric logged at the same steps), optionally
 * EMA-smoothed, in ascending x as the overlay needs.
 */
import { push } from '../group';
import type { Series } from '../db/series-codec';
import { emaSmooth } from '../charts/smoothing';
import type { Line } from './overlay';

/** A metric chart's x axis: step, wall time, time since the run's first point, or another metric. */
export type XAxis = 'step' | 'wall' | 'relative' | `metric:${string}`;

/** An x axis named in a URL; anything else is step. */
export function parseXAxis(v: string | null | undefined): XAxis {
	return v === 'wall' || v === 'relative' || (v?.startsWith('metric:') && v.length > 7) ? (v as XAxis) : 'step';
}

export function xAxisLabel(x: XAxis): string {
	if (x === 'wall') return 'time';
	if (x === 'relative') return 'relative time (s)';
	if (x.startsWith('metric:')) return x.slice(7);
	return 'step';
}

/** The metric used as x, if the x axis is one. */
export function xMetric(x: XAxis): string | undefined {
	return x.startsWith('metric:') ? x.slice(7) : undefined;
}

export function lineOf(s: Series | undefined, x: XAxis, smoothing: number, xSeries?: Series): Line {
	if (!s || s.values.length === 0) return { x: new Float64Array(0), y: new Float64Array(0) };
	let xs: Float64Array;
	let ys: Float64Array = s.values;
	if (x === 'step') xs = s.steps;
	else if (x === 'wall' || x === 'relative') {
		let t0 = Infinity;
		for (const t of s.timestamps) if (t < t0) t0 = t;
		xs = new Float64Array(s.timestamps.length);
		for (let i = 0; i < xs.length; i++) xs[i] = x === 'wall' ? s.timestamps[i] / 1000 : (s.timestamps[i] - t0) / 1000;
	} else {
		// Another metric as x: pair the points logged at the same step (its latest value there).
		const at = new Map<number, number>();
		if (xSeries) for (let i = 0; i < xSeries.steps.length; i++) at.set(xSeries.steps[i], xSeries.values[i]);
		const keep: number[] = [];
		for (let i = 0; i < s.steps.length; i++) if (at.has(s.steps[i])) keep.push(i);
		xs = Float64Array.from(keep, (i) => at.get(s.steps[i])!);
		ys = Float64Array.from(keep, (i) => s.values[i]);
	}
	// Smooth along the run's own order (steps), then sort by x if the axis is not monotonic.
	// ±Infinity becomes NaN (a gap); a history with none is used as it is (no copy: 10 charts of
	// 100,000 points on a run page).
	let finite = true;
	for (let i = 0; i < ys.length && finite; i++) if (ys[i] - ys[i] !== 0) finite = false;
	let clean = ys;
	if (!finite) {
		clean = new Float64Array(ys.length);
		for (let i = 0; i < ys.length; i++) clean[i] = Number.isFinite(ys[i]) ? ys[i] : NaN;
	}
	const y = smoothing > 0 ? emaSmooth(clean, smoothing) : clean;
	let sorted = true;
	for (let i = 1; i < xs.length && sorted; i++) if (xs[i] < xs[i - 1]) sorted = false;
	if (sorted) return { x: xs, y };
	const order = Array.from(xs.keys()).sort((a, b) => xs[a] - xs[b] || a - b);
	return { x: Float64Array.from(order, (i) => xs[i]), y: Float64Array.from(order, (i) => y[i]) };
}

/** Metric keys grouped by prefix (`train/`, `val/`, `system/`...), as MLflow's chart sections. */
export function sections(keys: string[]): { name: string; keys: string[] }[] {
	const by = new Map<string, string[]>();
	for (const k of [...keys].sort()) {
		const slash = k.indexOf('/');
		const name = slash > 0 ? k.slice(0, slash) : '';
		push(by, name, k);
	}
	// Unprefixed metrics first (MLflow's "Model metrics"), system metrics last.
	return [...by]
		.sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : a === 'system' ? 1 : b === 'system' ? -1 : a.localeCompare(b)))
		.map(([name, keys]) => ({ name: name === '' ? 'Model metrics' : name === 'system' ? 'System metrics' : name, keys }));
}

/**
 * Lines as a chart draws them: on a log y scale values <= 0 become gaps (NaN) like NaN itself; on a
 * log x scale points at x <= 0 are left out.
 */
export function drawableLines(lines: Line[], log: boolean, xLog: boolean): Line[] {
	return lines.map((l) => {
		let line = log ? { x: l.x, y: l.y.map((v) => (v > 0 ? v : NaN)) } : l;
		if (xLog) {
			const from = line.x.findIndex((v) => v > 0);
			line = from < 0 ? { x: new Float64Array(0), y: new Float64Array(0) } : { x: line.x.subarray(from), y: line.y.subarray(from) };
		}
		return line;
	});
}

/** The x range of all lines; one x value (a metric logged once) gets a window around it. */
export function xExtent(lines: Line[], xLog: boolean): [number, number] {
	let xMin = Infinity;
	let xMax = -Infinity;
	for (const l of lines) {
		if (l.x.length === 0) continue;
		xMin = Math.min(xMin, l.x[0]);
		xMax = Math.max(xMax, l.x[l.x.length - 1]);
	}
	if (!Number.isFinite(xMin)) return [0, 1];
	if (xMax === xMin) return xLog ? [xMin / 2, xMax * 2] : [xMin - 1, xMax + 1];
	return [xMin, xMax];
}

/** How charts are drawn, as the URL says (every chart view is a link): x axis, scales, smoothing, key filter. */
export interface ChartView {
	x: XAxis;
	log: boolean;
	xLog: boolean;
	clip: boolean;
	smoothing: number;
	/** Shows the keys containing this text (any case). */
	filter: string;
}

export function chartView(params: URLSearchParams): ChartView {
	return {
		x: parseXAxis(params.get('x')),
		log: params.get('log') === '1',
		xLog: params.get('xlog') === '1',
		clip: params.get('clip') === '1',
		smoothing: Math.min(0.99, Math.max(0, Number(params.get('smooth') ?? 0) || 0)),
		filter: params.get('mfilter') ?? ''
	};
}

/**
 * The keys a chart view's filter shows: those containing its text (any case), or matching it as a
 * regular expression when it is written `/…/` (`/^train\/(loss|acc)$/`). A regex that does not
 * compile matches nothing, rather than everything, while it is being typed.
 */
export function filteredKeys<K extends string | { key: string }>(keys: K[], view: ChartView): K[] {
	const test = keyMatcher(view.filter);
	return keys.filter((k) => test(typeof k === 'string' ? k : k.key));
}

export function keyMatcher(filter: string): (key: string) => boolean {
	const regex = /^\/(.+)\/([a-z]*)$/.exec(filter.trim());
	if (regex) {
		try {
			const re = new RegExp(regex[1], regex[2].includes('i') ? 'i' : '');
			return (key) => re.test(key);
		} catch {
			return () => false;
		}
	}
	const text = filter.toLowerCase();
	return (key) => key.toLowerCase().includes(text);
}
