import { describe, expect, it } from 'vitest';
import { decodeSeries, encodeSeries, mergeSeries, normalizeSeries, summarize, type Series } from './series-codec';

const series = (points: [number, number, number][]): Series => ({
	steps: Float64Array.from(points.map((p) => p[0])),
	timestamps: Float64Array.from(points.map((p) => p[1])),
	values: Float64Array.from(points.map((p) => p[2]))
});
const points = (s: Series) => Array.from(s.values, (v, i) => [s.steps[i], s.timestamps[i], v]);

describe('series codec', () => {
	it.each([
		['empty', []],
		['one point', [[0, 1700000000000, 0.5]]],
		[
			'arithmetic steps',
			[
				[0, 1700000000000, 1],
				[1, 1700000000010, 0.5],
				[2, 1700000000020, 0.25]
			]
		],
		[
			'irregular and negative steps',
			[
				[-5, 1, 1],
				[3, 2, 2],
				[1e12, 3, 3]
			]
		],
		[
			'non-finite values',
			[
				[0, 5, NaN],
				[1, 4, Infinity],
				[2, 3, -Infinity]
			]
		],
		[
			'timestamps going back',
			[
				[0, 1700000000000, 1],
				[1, 1600000000000, 2]
			]
		]
	] as [string, [number, number, number][]][])('round-trips %s', (_, pts) => {
		const s = series(pts);
		expect(points(decodeSeries(encodeSeries(s)))).toEqual(points(s));
	});

	it('stores a typical training curve in at most 10 bytes a point', () => {
		const n = 10_000;
		const s = series(Array.from({ length: n }, (_, i) => [i, 1700000000000 + i * 37, Math.exp(-i / 1000)] as [number, number, number]));
		expect(encodeSeries(s).length / n).toBeLessThanOrEqual(10);
	});

	it('sorts by (step, timestamp, value) and drops exact duplicates', () => {
		const s = normalizeSeries(
			series([
				[4, 20, 1.6],
				[3, 10, 1.7],
				[4, 20, 1.6],
				[4, 19, 1.65]
			])
		);
		expect(points(s)).toEqual([
			[3, 10, 1.7],
			[4, 19, 1.65],
			[4, 20, 1.6]
		]);
		// The latest point is the greatest (step, timestamp, value), as in MLflow's FileStore.
		expect(summarize(s)).toEqual({ count: 3, latest: 2, min: 1.6, max: 1.7 });
	});

	it('merges a re-imported series without duplicating points', () => {
		const a = series([
			[0, 1, 1],
			[1, 2, 2]
		]);
		const b = series([
			[1, 2, 2],
			[2, 3, 3]
		]);
		expect(points(mergeSeries(a, b))).toEqual([
			[0, 1, 1],
			[1, 2, 2],
			[2, 3, 3]
		]);
		expect(points(mergeSeries(a, a))).toEqual(points(a));
	});

	it('ignores NaN for min and max', () => {
		expect(
			summarize(
				series([
					[0, 0, NaN],
					[1, 0, 2],
					[2, 0, -1]
				])
			)
		).toMatchObject({ min: -1, max: 2 });
	});
});
