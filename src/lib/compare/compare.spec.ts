import { describe, expect, it } from 'vitest';
import type { Run } from '../db/rest-types';
import { clippedRange, overlayData, pointNear, type Line } from './overlay';
import { diffRows } from './diff';
import { axisOf, lowerIsBetter, parseField, fieldId, varies } from './values';
import { boxStats, idwGrid, quantile } from './stats';
import { PALETTE, runColor, runColors } from './run-colors';

const line = (x: number[], y: number[]): Line => ({ x: Float64Array.from(x), y: Float64Array.from(y) });

describe('overlayData', () => {
	it('joins runs on their exact x values when they share a step grid', () => {
		const o = overlayData([line([0, 1, 2], [1, 2, 3]), line([1, 2, 3], [5, 6, 7])], 0, 3, 500);
		expect(o.x).toEqual([0, 1, 2, 3]);
		expect(o.ys).toEqual([
			[1, 2, 3, undefined],
			[undefined, 5, 6, 7]
		]);
		expect(o.drawn).toBe(6);
	});

	it('hands 3+ runs that share their x values to uPlot whole (it reduces per pixel itself), gaps as null', () => {
		const x = [0, 1, 2, 3];
		const o = overlayData([line(x, [1, 2, 3, 4]), line(x, [5, NaN, 7, 8]), line(x, [0, 0, 0, 0])], 1, 2, 500);
		expect(o.full).toBe(true);
		expect(Array.from(o.x)).toEqual(x);
		expect(Array.from(o.ys[0])).toEqual([1, 2, 3, 4]);
		expect(o.ys[1]).toEqual([5, null, 7, 8]);
		expect(o.drawn).toBe(11);
		expect(overlayData([line(x, [1, 2, 3, 4])], 1, 2, 500).full).toBeUndefined();
	});

	it('snaps unaligned x to column slots: bounded size, order kept, error under one column', () => {
		const columns = 100;
		const lines = Array.from({ length: 50 }, (_, k) => {
			const n = 5000;
			const x = Float64Array.from({ length: n }, (_, i) => i + k / 50);
			const y = Float64Array.from({ length: n }, (_, i) => Math.sin(i / 100 + k) + (i === 2500 + k ? 50 : 0));
			return { x, y };
		});
		const o = overlayData(lines, 0, 5000, columns);
		expect(o.x.length).toBeLessThanOrEqual(columns * 5 + 2 * 50);
		const width = 5000 / columns;
		for (const [k, ys] of o.ys.entries()) {
			let last = -Infinity;
			ys.forEach((v, i) => {
				if (v == null) return;
				expect(o.x[i]).toBeGreaterThan(last);
				last = o.x[i];
				const near = pointNear(lines[k], o.x[i])!;
				expect(Math.abs(near.x - o.x[i])).toBeLessThanOrEqual(width);
			});
			// Every run's spike survives the reduction.
			expect(Math.max(...ys.filter((v): v is number => v != null))).toBeGreaterThan(49);
		}
	});

	it('clips outliers to the 2nd..98th percentile range', () => {
		const ys = [Array.from({ length: 1000 }, (_, i) => (i === 500 ? 1e9 : i / 1000))];
		const [lo, hi] = clippedRange(ys)!;
		expect(lo).toBeLessThan(0.03);
		expect(hi).toBeLessThan(1.1);
	});
});

function run(id: string, params: Record<string, string>, metrics: Record<string, number>, tags: Record<string, string> = {}): Run {
	return {
		info: { run_id: id, run_uuid: id, experiment_id: '0', status: 'FINISHED', lifecycle_stage: 'active' },
		data: {
			params: Object.entries(params).map(([key, value]) => ({ key, value })),
			metrics: Object.entries(metrics).map(([key, value]) => ({ key, value, timestamp: 0, step: 0 })),
			tags: Object.entries(tags).map(([key, value]) => ({ key, value }))
		}
	};
}

describe('diffRows', () => {
	const runs = [
		run('a', { lr: '0.1', depth: '3' }, { loss: 0.5, acc: 0.8 }, { team: 'x', 'mlflow.user': 'u' }),
		run('b', { lr: '0.1', depth: '4' }, { loss: 0.3, acc: 0.9 }, { team: 'x' }),
		run('c', { lr: '0.1' }, { loss: 0.3, acc: 0.7 })
	];

	it('lists params, metrics and user tags, marks differing rows and the best runs per metric', () => {
		const rows = diffRows(runs);
		expect(rows.map((r) => `${r.kind}:${r.key}`)).toEqual(['param:depth', 'param:lr', 'metric:acc', 'metric:loss', 'tag:team']);
		expect(rows.find((r) => r.key === 'lr')!.differs).toBe(false);
		expect(rows.find((r) => r.key === 'depth')!.values).toEqual(['3', '4', undefined]);
		expect(rows.find((r) => r.key === 'loss')!.best).toEqual([1, 2]);
		expect(rows.find((r) => r.key === 'acc')!.best).toEqual([1]);
	});

	it('shows differences only, against a baseline, and filters keys', () => {
		expect(diffRows(runs, { onlyDifferences: true }).map((r) => r.key)).toEqual(['depth', 'acc', 'loss', 'team']);
		expect(diffRows(runs, { baseline: 1 }).find((r) => r.key === 'loss')!.changed).toEqual([true, false, false]);
		expect(diffRows(runs, { filter: 'LO' }).map((r) => r.key)).toEqual(['loss']);
	});

	it('uses min or max per run when asked', () => {
		const ranges = new Map([[`a\u0000loss`, { run_uuid: 'a', key: 'loss', min: 0.1, max: 2 }]]);
		expect(diffRows(runs.slice(0, 1), { stat: 'min', ranges }).find((r) => r.key === 'loss')!.values).toEqual([0.1]);
	});
});

describe('axes and stats', () => {
	it('reads numeric and categorical axes, missing values as NaN', () => {
		const runs = [run('a', { lr: '0.1', opt: 'adam' }, {}), run('b', { lr: '1e-3', opt: 'sgd' }, {}), run('c', {}, {})];
		const lr = axisOf(runs, { kind: 'param', key: 'lr' });
		expect(lr.numeric).toBe(true);
		expect(Array.from(lr.values)).toEqual([0.1, 0.001, NaN]);
		const opt = axisOf(runs, { kind: 'param', key: 'opt' });
		expect(opt.numeric).toBe(false);
		expect(opt.categories).toEqual(['adam', 'sgd']);
		expect(Array.from(opt.values)).toEqual([0, 1, NaN]);
		expect(parseField(fieldId({ kind: 'metric', key: 'val/loss' }))).toEqual({ kind: 'metric', key: 'val/loss' });
		expect(lowerIsBetter('val/loss')).toBe(true);
		expect(lowerIsBetter('accuracy')).toBe(false);
	});

	it.each([
		[['60', '60', '60'], false],
		[['60', '60', undefined], false],
		[['60', '61', '60'], true],
		[['adam', 'adam', undefined], false],
		[['adam', 'sgd', 'adam'], true],
		[[undefined, undefined, undefined], false]
	] as const)('a field with values %j varies: %s', (values, expected) => {
		const runs = values.map((v, i) => run(String(i), v === undefined ? {} : { f: v }, {}));
		expect(varies(axisOf(runs, { kind: 'param', key: 'f' }))).toBe(expected);
	});

	it('computes Tukey boxes and quantiles as numpy does', () => {
		expect(quantile([1, 2, 3, 4], 0.5)).toBe(2.5);
		const b = boxStats([1, 2, 3, 4, 5, 6, 7, 8, 100])!;
		expect(b).toMatchObject({ n: 9, median: 5, q1: 3, q3: 7, low: 1, high: 8, outliers: [100] });
	});

	it('interpolates a grid that passes through the runs and leaves far cells empty', () => {
		const points = [
			{ x: 0, y: 0, z: 1 },
			{ x: 0.1, y: 0, z: 1 },
			{ x: 0, y: 0.1, z: 1 },
			{ x: 1, y: 1, z: 3 }
		];
		const grid = idwGrid(points, [0, 1], [0, 1], 11);
		expect(grid[0]).toBe(1);
		expect(grid[120]).toBe(3);
		expect(Number.isNaN(grid[10])).toBe(true); // corner (1, 0): far from every run
		// A coarse sweep (3 x 2) fills its whole square.
		const sweep = [0, 0.5, 1].flatMap((x) => [0, 1].map((y) => ({ x, y, z: x + y })));
		expect(idwGrid(sweep, [0, 1], [0, 1], 11).some(Number.isNaN)).toBe(false);
	});

	it('gives a run the same colour every time', () => {
		expect(runColor('abc')).toBe(runColor('abc'));
		expect(runColor('abc')).not.toBe(runColor('abd'));
	});

	it.each([1, 2, 7, 12, 20])('gives %i runs shown together distinct colours, the same in any order', (n) => {
		for (let seed = 0; seed < 50; seed++) {
			const ids = Array.from({ length: n }, (_, i) => `${seed.toString(16)}${(i * 2654435761).toString(16)}`.padEnd(32, 'a'));
			const colors = runColors(ids);
			expect(new Set(ids.map((id) => colors.get(id))).size).toBe(n);
			// The most distinct colours first: n runs take the palette's first n.
			expect([...colors.values()].sort()).toEqual(PALETTE.slice(0, n).sort());
			const reversed = runColors([...ids].reverse());
			for (const id of ids) expect(reversed.get(id)).toBe(colors.get(id));
		}
	});

	it('past 20 runs, each keeps its own colour', () => {
		const ids = Array.from({ length: 21 }, (_, i) => `run${i}`);
		const colors = runColors(ids);
		for (const id of ids) expect(colors.get(id)).toBe(runColor(id));
	});
});

describe('chart lines', async () => {
	const { lineOf, sections } = await import('./chart-data');
	const s = {
		steps: Float64Array.from([0, 1, 2]),
		timestamps: Float64Array.from([5000, 6000, 9000]),
		values: Float64Array.from([3, 1, 2])
	};
	it('puts a history on step, wall, relative or another metric as x', () => {
		expect(Array.from(lineOf(s, 'step', 0).x)).toEqual([0, 1, 2]);
		expect(Array.from(lineOf(s, 'relative', 0).x)).toEqual([0, 1, 4]);
		expect(Array.from(lineOf(s, 'wall', 0).x)).toEqual([5, 6, 9]);
		const other = { steps: Float64Array.from([0, 2]), timestamps: Float64Array.from([0, 0]), values: Float64Array.from([0.9, 0.1]) };
		const l = lineOf(s, 'metric:lr', 0, other);
		expect(Array.from(l.x)).toEqual([0.1, 0.9]);
		expect(Array.from(l.y)).toEqual([2, 3]);
	});
	it('groups keys in sections by prefix, plain metrics first and system last', () => {
		expect(sections(['system/cpu', 'val/loss', 'acc', 'train/loss', 'train/acc'])).toEqual([
			{ name: 'Model metrics', keys: ['acc'] },
			{ name: 'train', keys: ['train/acc', 'train/loss'] },
			{ name: 'val', keys: ['val/loss'] },
			{ name: 'System metrics', keys: ['system/cpu'] }
		]);
	});
	it.each([
		['loss', ['train/loss', 'val/Loss']],
		['/^train\\//', ['train/loss', 'train/acc']],
		['/loss$/i', ['train/loss', 'val/Loss']],
		['/(unclosed/', []],
		['', ['train/loss', 'train/acc', 'val/Loss', 'system/gpu']]
	])('filters chart keys by %j (text, or a /regex/)', async (filter, expected) => {
		const { filteredKeys, chartView } = await import('./chart-data');
		const view = { ...chartView(new URLSearchParams()), filter };
		expect(filteredKeys(['train/loss', 'train/acc', 'val/Loss', 'system/gpu'], view)).toEqual(expected);
	});
});

describe('parallel coordinates layout', async () => {
	const { axisX, valueY, rangeOf, snapY } = await import('./parallel-layout');
	const box = { left: 60, right: 660, top: 40, bottom: 340 };
	const numeric = axisOf([run('a', { lr: '0' }, {}), run('b', { lr: '10' }, {})], { kind: 'param', key: 'lr' });
	const categorical = axisOf([run('a', { o: 'adam' }, {}), run('b', { o: 'sgd' }, {}), run('c', { o: 'rms' }, {})], {
		kind: 'param',
		key: 'o'
	});

	it('spreads axes evenly and maps values linearly, minimum at the bottom', () => {
		expect([0, 1, 2, 3].map((k) => axisX(k, 4, box))).toEqual([60, 260, 460, 660]);
		expect(axisX(0, 1, box)).toBe(360);
		expect(valueY(numeric, 0, box)).toBe(340);
		expect(valueY(numeric, 10, box)).toBe(40);
		expect(valueY(numeric, 2.5, box)).toBe(265);
	});

	it('turns a dragged span into a value range, whole categories on categorical axes', () => {
		expect(rangeOf(numeric, 190, 40, box)).toEqual([5, 10]);
		expect(snapY(43, box)).toBe(40);
		// Categories adam, rms, sgd at 340, 190, 40: a span over the upper half keeps rms and sgd.
		expect(rangeOf(categorical, 200, 30, box)).toEqual([1, 2]);
		expect(rangeOf(categorical, 250, 280, box)).toBeUndefined();
	});
});
