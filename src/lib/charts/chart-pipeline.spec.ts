/**
 * What a metric chart hands to the canvas, checked against what is stored, over generated
 * histories (fixed seed): duplicate steps, single points, NaN and ±Infinity, unsorted steps and
 * times, 1 to 1,000 runs, any zoom window, each x axis, log scales. The run page, the comparison
 * and the experiment's chart view all draw through lineOf -> drawableLines -> overlayData.
 *
 * For every line and window:
 * - every value drawn is a stored value (nothing invented, nothing zeroed);
 * - every pixel column's lowest and highest stored value is drawn in that column;
 * - the stored point just outside each edge of the window is there (as a point or a gap), so the
 *   line reaches both edges, or stops where the data really has a gap;
 * - x ascends, and a gap in the data is a gap (null), never a value.
 */
import { describe, expect, it } from 'vitest';
import type { Series } from '../db/series-codec';
import { drawableLines, lineOf, xExtent, type XAxis } from '../compare/chart-data';
import { overlayData, yExtent, type Line } from '../compare/overlay';

function prng(seed: number) {
	return () => ((seed = (seed * 16807) % 2147483647) - 1) / 2147483646;
}

/** A history with the shapes real stores have. */
function history(rand: () => number, n: number): Series {
	const steps = new Float64Array(n);
	const timestamps = new Float64Array(n);
	const values = new Float64Array(n);
	let step = Math.floor(rand() * 5);
	let t = 1_700_000_000_000 + Math.floor(rand() * 1e6);
	for (let i = 0; i < n; i++) {
		// Duplicate steps (a step logged twice), gaps in steps, and time that sometimes goes back.
		if (rand() > 0.15) step += 1 + Math.floor(rand() * rand() * 20);
		t += rand() < 0.05 ? -Math.floor(rand() * 5000) : Math.floor(rand() * 1000);
		steps[i] = step;
		timestamps[i] = t;
		const r = rand();
		values[i] =
			r < 0.04
				? NaN
				: r < 0.05
					? Infinity
					: r < 0.06
						? -Infinity
						: r < 0.1
							? -rand()
							: Math.exp(rand() * 6 - 3) * (rand() < 0.01 ? 1000 : 1);
	}
	if (rand() < 0.3) {
		// Unsorted steps, as a store that appended out of order holds them.
		for (let i = n - 1; i > 0; i--) {
			const j = Math.floor(rand() * (i + 1));
			[steps[i], steps[j]] = [steps[j], steps[i]];
		}
	}
	return { steps, timestamps, values };
}

const lengths = [1, 1, 2, 3, 17, 200, 5000, 40_000];

/** Reference: the stored points of a line sorted by x, duplicates kept (order within an x irrelevant). */
function storedPoints(line: Line): { x: number; y: number }[] {
	return Array.from(line.x, (x, i) => ({ x, y: line.y[i] })).sort((a, b) => a.x - b.x);
}

function check(lines: Line[], a: number, b: number, columns: number) {
	const o = overlayData(lines, a, b, columns);
	for (let i = 1; i < o.x.length; i++) expect(o.x[i]).toBeGreaterThanOrEqual(o.x[i - 1]);
	const width = (b - a) / columns;
	const columnOf = (x: number) => Math.min(columns - 1, Math.floor((x - a) / width));
	lines.forEach((line, k) => {
		const stored = storedPoints(line);
		const ys = o.ys[k];
		const drawn: { x: number; y: number }[] = [];
		const entries: number[] = [];
		for (let j = 0; j < o.x.length; j++) {
			const v = ys[j];
			if (v === undefined) continue;
			entries.push(o.x[j]);
			if (v === null) continue;
			expect(Number.isFinite(v)).toBe(true);
			drawn.push({ x: o.x[j], y: v });
		}
		// Nothing invented: each drawn value is a stored one, at its x or (snapped) in its column.
		const values = new Set(stored.map((p) => p.y));
		for (const p of drawn) expect(values.has(p.y)).toBe(true);
		// Per pixel column, the stored min and max are drawn there.
		const want = new Map<number, [number, number]>();
		for (const p of stored) {
			if (p.x < a || p.x > b || !Number.isFinite(p.y)) continue;
			const c = columnOf(p.x);
			const m = want.get(c);
			want.set(c, m ? [Math.min(m[0], p.y), Math.max(m[1], p.y)] : [p.y, p.y]);
		}
		const got = new Map<number, [number, number]>();
		for (const p of drawn) {
			if (p.x < a || p.x > b) continue;
			const c = columnOf(p.x);
			const m = got.get(c);
			got.set(c, m ? [Math.min(m[0], p.y), Math.max(m[1], p.y)] : [p.y, p.y]);
		}
		for (const [c, [lo, hi]] of want) {
			expect(got.get(c), `line ${k} column ${c} of [${a}, ${b}]`).toEqual([lo, hi]);
		}
		// The line reaches both edges: the stored point just before a and just after b are there.
		const before = stored.filter((p) => p.x < a).pop();
		const after = stored.find((p) => p.x > b);
		if (before) expect(entries.some((x) => x <= before.x)).toBe(true);
		if (after) expect(entries.some((x) => x >= after.x)).toBe(true);
		// A gap is drawn as one: a stored non-finite value in view leaves a null in the line.
		if (!o.full && stored.some((p) => p.x >= a && p.x <= b && !Number.isFinite(p.y))) expect(ys.includes(null)).toBe(true);
	});
	return o;
}

describe('chart data covers every zoom window with every stored extreme', () => {
	const axes: XAxis[] = ['step', 'wall', 'relative'];
	const runCounts = [1, 2, 7, 60, 1000];
	for (const runs of runCounts) {
		for (const x of axes) {
			it(`${runs} run(s), x = ${x}`, () => {
				const rand = prng(runs * 31 + x.length);
				const series = Array.from({ length: runs }, () => history(rand, lengths[Math.floor(rand() * (runs > 60 ? 5 : lengths.length))]));
				for (const [log, smoothing] of [
					[false, 0],
					[true, 0],
					[false, 0.7]
				] as const) {
					const lines = drawableLines(
						series.map((s) => lineOf(s, x, smoothing)),
						log,
						false
					);
					const [lo, hi] = xExtent(lines, false);
					const windows: [number, number][] = [[lo, hi]];
					for (let w = 0; w < 6; w++) {
						const p = lo + (hi - lo) * (rand() * 1.2 - 0.1);
						const q = p + (hi - lo) * rand() * rand();
						if (q > p) windows.push([p, q]);
					}
					for (const [a, b] of windows) check(lines, a, b, 50 + Math.floor(rand() * 900));
				}
			});
		}
	}

	it('keeps both points of a step logged twice, whatever the other runs logged', () => {
		const twice: Series = {
			steps: Float64Array.from([0, 0, 1]),
			timestamps: Float64Array.from([1, 2, 3]),
			values: Float64Array.from([0.77, 0.86, 0.99])
		};
		const others = Array.from({ length: 9 }, (_, k): Series => ({
			steps: Float64Array.from([0, 1]),
			timestamps: Float64Array.from([1, 2]),
			values: Float64Array.from([0.9 + k / 100, 0.95])
		}));
		const lines = [twice, ...others].map((s) => lineOf(s, 'step', 0));
		const o = check(lines, 0, 1, 400);
		const drawn = o.ys[0].filter((v): v is number => typeof v === 'number');
		expect(drawn).toEqual([0.77, 0.86, 0.99]);
	});

	it('draws single points as dots for 1 to 1,000 runs', () => {
		for (const runs of [1, 10, 60, 1000]) {
			const lines = Array.from({ length: runs }, (_, k) =>
				lineOf({ steps: Float64Array.from([k % 3]), timestamps: Float64Array.from([k]), values: Float64Array.from([k / runs]) }, 'step', 0)
			);
			const [a, b] = xExtent(lines, false);
			const o = check(lines, a, b, 800);
			expect(o.isolated.every((iso) => iso.length === 1)).toBe(true);
			expect(o.drawn).toBe(runs);
		}
	});

	it('keeps a point between two gaps as a dot', () => {
		const line = { x: Float64Array.from([0, 1, 2, 3, 4]), y: Float64Array.from([1, NaN, 5, NaN, 2]) };
		const o = check([line, { x: Float64Array.from([0.5, 4]), y: Float64Array.from([1, 1]) }], 0, 4, 100);
		expect(o.isolated[0].map((j) => o.x[j])).toEqual([0, 2, 4]);
	});
});

describe('yExtent', () => {
	it('holds the values in the window and where each line crosses its edges', () => {
		// A line falling from 10 (outside the window) to 0: at the left edge x = 1 it is at 5.
		const o = overlayData([{ x: Float64Array.from([0, 2, 3, 10]), y: Float64Array.from([10, 0, 1, 1]) }], 1, 3, 100);
		expect(yExtent(o, 1, 3)).toEqual([0, 5]);
		// A gap before the window: nothing to interpolate from.
		const g = overlayData([{ x: Float64Array.from([0, 0.5, 2]), y: Float64Array.from([10, NaN, 0]) }], 1, 3, 100);
		expect(yExtent(g, 1, 3)).toEqual([0, 0]);
		expect(yExtent(overlayData([], 0, 1, 10), 0, 1)).toBeUndefined();
	});
});
