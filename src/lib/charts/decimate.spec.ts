import { describe, expect, it } from 'vitest';
import { decimateM4 } from './decimate';
import { emaSmooth } from './smoothing';

const range = (n: number) => Float64Array.from({ length: n }, (_, i) => i);

describe('decimateM4', () => {
	it('keeps a single spike among 1,000,000 points, at its step', () => {
		const x = range(1_000_000);
		const y = Float64Array.from(x, (i) => Math.sin(i / 1000));
		y[654_321] = 50;
		y[123_456] = -50;
		const d = decimateM4(x, y, 0, 999_999, 800);
		expect(d.x.length).toBeLessThanOrEqual(800 * 4 + 2);
		expect(Math.max(...d.y)).toBe(50);
		expect(Math.min(...d.y)).toBe(-50);
		expect(d.x[d.y.indexOf(50)]).toBe(654_321);
		// Every column's extremes survive: the max over any column equals the true max there.
		for (let c = 0; c < 800; c += 97) {
			const lo = (c * 999_999) / 800,
				hi = ((c + 1) * 999_999) / 800;
			let trueMax = -Infinity;
			for (let i = Math.ceil(lo); i < hi; i++) trueMax = Math.max(trueMax, y[i]);
			let keptMax = -Infinity;
			for (let i = 0; i < d.x.length; i++) if (d.x[i] >= lo && d.x[i] < hi) keptMax = Math.max(keptMax, d.y[i]);
			expect(keptMax).toBe(trueMax);
		}
	});

	it('keeps points in x order and includes the first and last', () => {
		const x = range(10_000);
		const y = Float64Array.from(x, (i) => (i * 7919) % 101);
		const d = decimateM4(x, y, 0, 9999, 50);
		for (let i = 1; i < d.x.length; i++) expect(d.x[i]).toBeGreaterThan(d.x[i - 1]);
		expect(d.x[0]).toBe(0);
		expect(d.x[d.x.length - 1]).toBe(9999);
	});

	it('re-decimates a zoomed range from the full data, with one point beyond each edge', () => {
		const x = range(100_000);
		const y = Float64Array.from(x, (i) => (i === 50_500 ? 9 : 0));
		const d = decimateM4(x, y, 50_000, 51_000, 100);
		expect(d.x[0]).toBe(49_999);
		expect(d.x[d.x.length - 1]).toBe(51_001);
		expect(Math.max(...d.y)).toBe(9);
	});

	it('returns small series whole, NaN points kept as gaps', () => {
		const d = decimateM4(range(5), Float64Array.from([1, NaN, 3, 4, 5]), 0, 4, 100);
		expect(Array.from(d.x)).toEqual([0, 1, 2, 3, 4]);
		expect(Array.from(d.y)).toEqual([1, NaN, 3, 4, 5]);
	});

	it('turns ±Infinity, and values <= 0 on a log scale, into gaps (never zeros), in both paths', () => {
		const y = Float64Array.from([1, Infinity, -2, 0, -Infinity, 5]);
		expect(Array.from(decimateM4(range(6), y, 0, 5, 100).y)).toEqual([1, NaN, -2, 0, NaN, 5]);
		expect(Array.from(decimateM4(range(6), y, 0, 5, 100, true).y)).toEqual([1, NaN, NaN, NaN, NaN, 5]);
		const many = Float64Array.from(range(10_000), (i) => (i % 3 === 0 ? -1 : i % 3 === 1 ? Infinity : i));
		const d = decimateM4(range(10_000), many, 0, 9999, 50, true);
		expect(d.y.every((v) => Number.isNaN(v) || (v > 0 && Number.isFinite(v)))).toBe(true);
		expect(d.y.some((v) => Number.isNaN(v))).toBe(true);
		expect(Math.max(...d.y.filter((v) => v === v))).toBe(9998);
		expect(d.x.length).toBeLessThanOrEqual(50 * 5 + 12);
	});

	it('puts each point in the same column as flooring it would, on uneven x', () => {
		// A reference M4 with a per-point floor: the fast loop decides columns by comparison only.
		let seed = 7;
		const rand = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
		const x = new Float64Array(50_000);
		for (let i = 1; i < x.length; i++) x[i] = x[i - 1] + rand() * rand() * 3;
		const y = Float64Array.from(x, () => rand() - 0.5);
		const [xMin, xMax, columns] = [x[1234] + 0.1, x[45_678], 333];
		const scale = columns / (xMax - xMin);
		const kept = new Set<number>();
		const groups = new Map<number, number[]>();
		const d = decimateM4(x, y, xMin, xMax, columns);
		// In view: from one point before xMin to one after xMax (which is x[45_678] itself).
		for (let i = x.findIndex((v) => v >= xMin) - 1; i <= 45_679; i++) {
			const c = x[i] > xMax ? columns : Math.min(columns - 1, Math.max(-1, Math.floor((x[i] - xMin) * scale)));
			(groups.get(c) ?? groups.set(c, []).get(c)!).push(i);
		}
		for (const g of groups.values()) {
			let lo = g[0],
				hi = g[0];
			for (const i of g) {
				if (y[i] < y[lo]) lo = i;
				if (y[i] > y[hi]) hi = i;
			}
			for (const i of [g[0], lo, hi, g[g.length - 1]]) kept.add(i);
		}
		expect(groups.size).toBeGreaterThan(300);
		expect(Array.from(d.x)).toEqual([...kept].sort((a, b) => a - b).map((i) => x[i]));
	});
});

describe('emaSmooth', () => {
	it('is the identity at weight 0 and debiased otherwise', () => {
		const v = Float64Array.from([1, 2, 3]);
		expect(emaSmooth(v, 0)).toBe(v);
		const s = emaSmooth(Float64Array.from([10, 10, 10]), 0.9);
		expect(Array.from(s).map((x) => Math.round(x * 1e9) / 1e9)).toEqual([10, 10, 10]);
		const t = emaSmooth(Float64Array.from([0, 10]), 0.5);
		expect(t[1]).toBeCloseTo((0.5 * 0 * 0.5 + 0.5 * 10) / (1 - 0.25));
	});
	it('skips NaN without breaking the average', () => {
		const s = emaSmooth(Float64Array.from([1, NaN, 1]), 0.5);
		expect(s[0]).toBe(1);
		expect(Number.isNaN(s[1])).toBe(true);
		expect(s[2]).toBeCloseTo(1);
	});
});
