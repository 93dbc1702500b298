import { describe, expect, it } from 'vitest';
import type { Run } from './db/rest-types';
import {
	csvName,
	effectiveFilter,
	groupedRows,
	isGroupRow,
	keysByCoverage,
	orderByFor,
	parseColumnId,
	pinAndHide,
	runsCsv,
	treeRows
} from './runs-table';
import { parseOrderBy } from './search/parse';

const run = (
	id: string,
	o: { parent?: string; params?: Record<string, string>; metrics?: Record<string, number>; name?: string } = {}
): Run => ({
	info: {
		run_id: id,
		run_uuid: id,
		experiment_id: '1',
		status: 'FINISHED',
		start_time: 1_700_000_000_000,
		end_time: 1_700_000_065_000,
		lifecycle_stage: 'active',
		run_name: o.name ?? id,
		user_id: 'ann'
	} as Run['info'],
	data: {
		params: Object.entries(o.params ?? {}).map(([key, value]) => ({ key, value })),
		metrics: Object.entries(o.metrics ?? {}).map(([key, value]) => ({ key, value, timestamp: 0, step: 0 })),
		tags: o.parent ? [{ key: 'mlflow.parentRunId', value: o.parent }] : []
	}
});

describe('treeRows', () => {
	const runs = [
		run('c1', { parent: 'p' }),
		run('a'),
		run('p'),
		run('c2', { parent: 'p' }),
		run('g', { parent: 'c2' }),
		run('orphan', { parent: 'gone' })
	];
	it('puts children under their parent, keeping the search order among siblings', () => {
		expect(treeRows(runs, new Set()).map((r) => `${'-'.repeat(r.depth)}${r.run.info.run_id}`)).toEqual([
			'a',
			'p',
			'-c1',
			'-c2',
			'--g',
			'orphan'
		]);
	});
	it('hides the children of a collapsed parent and counts them', () => {
		const rows = treeRows(runs, new Set(['p']));
		expect(rows.map((r) => r.run.info.run_id)).toEqual(['a', 'p', 'orphan']);
		expect(rows[1].childCount).toBe(2);
	});
});

describe('runsCsv', () => {
	it("writes MLflow's columns and escapes formulas, commas and quotes", () => {
		const csv = runsCsv([run('r1', { name: '=HYPERLINK("x")', params: { lr: '0.1', note: 'a,b' }, metrics: { loss: -0.5 } })], {
			params: ['lr', 'note'],
			metrics: ['loss'],
			tags: []
		});
		const [header, line] = csv.trim().split('\n');
		expect(header).toBe('Start Time,Duration,Run ID,Name,Source Type,Source Name,User,Status,lr,note,loss');
		expect(line).toContain(`,r1,"'=HYPERLINK(""x"")",,,ann,FINISHED,0.1,"a,b",-0.5`);
		expect(line).toContain('1m 5s');
	});

	it.each([
		['\t=cmd|calc', true],
		['\r=1+1', true],
		['  @SUM(A1)', true],
		['\t', true],
		['plain', false],
		['a=b', false]
	])('a value %j is %s taken for a formula', (value, escaped) => {
		const csv = runsCsv([run('r1', { params: { p: value } })], { params: ['p'], metrics: [], tags: [] });
		const cell = csv.trim().split('\n')[1].split(',').slice(8).join(',');
		expect(cell.replace(/^"/, '').startsWith("'")).toBe(escaped);
	});
});

describe('column ids and order_by', () => {
	it('round-trips and produces clauses the order_by parser accepts', () => {
		for (const id of ['params.lr', 'metrics.train/loss', 'tags.mlflow.user', 'metrics.a`b']) {
			const c = parseColumnId(id)!;
			const parsed = parseOrderBy('runs', orderByFor(c, false));
			expect({ key: parsed.key, ascending: parsed.ascending }).toEqual({ key: c.key, ascending: false });
		}
	});
});

describe('effectiveFilter', () => {
	it('appends the time filter as MLflow does', () => {
		expect(effectiveFilter("params.a = 'x'", '1h', 10_000_000)).toBe("params.a = 'x' and attributes.start_time >= 6400000");
		expect(effectiveFilter('', '24h', 100_000_000)).toBe('attributes.start_time >= 13600000');
		expect(effectiveFilter('x', null, 0)).toBe('x');
	});
});

describe('groupedRows', () => {
	const runs = [
		run('a', { params: { opt: 'sgd' }, metrics: { acc: 0.5 } }),
		run('b', { params: { opt: 'adam' }, metrics: { acc: 0.9 } }),
		run('c', { params: { opt: 'sgd' }, metrics: { acc: 0.7 } }),
		run('d', { metrics: { acc: 0.1 } })
	];
	const latest = (r: Run, k: string) => r.data.metrics?.find((m) => m.key === k)?.value as number | undefined;
	it('groups in first-appearance order with min / mean / max per metric', () => {
		const rows = groupedRows(runs, { kind: 'param', key: 'opt' }, new Set(), ['acc'], latest);
		const groups = rows.filter(isGroupRow);
		expect(groups.map((g) => [g.group, g.count])).toEqual([
			['sgd', 2],
			['adam', 1],
			['(none)', 1]
		]);
		expect(groups[0].stats.acc.min).toBe(0.5);
		expect(groups[0].stats.acc.max).toBe(0.7);
		expect(groups[0].stats.acc.mean).toBeCloseTo(0.6);
		expect(rows).toHaveLength(7);
	});
	it.each([
		[
			['0.1', '0.01', '1e-3', '10', '0.03'],
			['1e-3', '0.01', '0.03', '0.1', '10']
		],
		[
			['64', '128', '32'],
			['32', '64', '128']
		],
		[
			['sgd', '64', 'adam'],
			['sgd', '64', 'adam']
		]
	])('groups of numbers %j are in numeric order %j, the run without the value last; others as they appear', (values, want) => {
		const list = [...values.map((v, i) => run(`r${i}`, { params: { lr: v }, metrics: { acc: i } })), run('none', { metrics: { acc: 1 } })];
		const groups = groupedRows(list, { kind: 'param', key: 'lr' }, new Set(), ['acc'], latest).filter(isGroupRow);
		expect(groups.map((g) => g.group)).toEqual([...want, '(none)']);
	});
	it('folds a collapsed group', () => {
		expect(groupedRows(runs, { kind: 'param', key: 'opt' }, new Set(['sgd']), ['acc'], latest)).toHaveLength(5);
	});
	it('pins first and hides', () => {
		expect(pinAndHide(runs, new Set(['c']), new Set(['b'])).map((r) => r.info.run_id)).toEqual(['c', 'a', 'd']);
	});
});

describe('treeRows with pins', () => {
	it('lifts a pinned child to the top', () => {
		const runs = [run('p'), run('c1', { parent: 'p' }), run('c2', { parent: 'p' })];
		expect(treeRows(runs, new Set(), new Set(['c2'])).map((r) => `${r.depth}${r.run.info.run_id}`)).toEqual(['0c2', '0p', '1c1']);
	});
	it('keeps search order with pinned runs first when no run is nested', () => {
		const flat = [run('x'), run('y'), run('z'), run('w')];
		expect(treeRows(flat, new Set(), new Set(['z', 'y'])).map((r) => `${r.depth}${r.run.info.run_id}${r.childCount}`)).toEqual([
			'0y0',
			'0z0',
			'0x0',
			'0w0'
		]);
		expect(treeRows(flat, new Set()).map((r) => r.run.info.run_id)).toEqual(['x', 'y', 'z', 'w']);
	});
});

describe('default columns and CSV names', () => {
	it('keeps the keys most runs have, in alphabetical order', () => {
		const m = (...keys: string[]) => keys.map((key) => ({ key }));
		const lists = [m('val_loss', 'batch_1'), m('val_loss', 'batch_2'), m('val_loss', 'acc', 'batch_3'), m('acc'), undefined];
		expect(keysByCoverage(lists, 2)).toEqual(['acc', 'val_loss']);
		expect(keysByCoverage(lists, 3)).toEqual(['acc', 'batch_1', 'val_loss']);
		expect(keysByCoverage([], 5)).toEqual([]);
	});

	it.each([
		['cifar10-resnet', 'cifar10-resnet-runs.csv'],
		['MLflow QAエージェント / v2', 'MLflow-QA-v2-runs.csv'],
		['../../etc', 'etc-runs.csv'],
		[undefined, 'experiment-runs.csv']
	])('names the CSV of %s %s', (name, want) => {
		expect(csvName(name)).toBe(want);
	});
});
