/**
 * `trackside runs|experiments|models|versions` with MLflow's search flags and the output formats,
 * on a real store: each filter's result is the store's own search (the views' code path), bad
 * ones exit 1 with MLflow's message (cases of ../shared/docs/search-filter-vectors.md, A3 and A4).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { cli } from '../lib/testing/cli';
import { FIXTURES, importFixture } from '../lib/testing/fixtures';
import type { Store } from '../lib/db/store';

const FIXTURE = FIXTURES + 'Dan-Irl__mlflow-testing.zip';
let store: Store;
beforeAll(async () => {
	({ store } = await importFixture('Dan-Irl__mlflow-testing.zip'));
});

describe('trackside search flags', () => {
	it.each([
		["params.optimizer = 'Adam'", []],
		["params.optimizer LIKE 'Adam%'", []],
		['metrics.`metrics/mAP50B` > 0.5', []],
		["attributes.status = 'FINISHED' and params.epochs = '5'", []],
		["tags.`mlflow.user` = 'dan'", []],
		['', ['metrics.`metrics/mAP50B` DESC']],
		["attributes.run_name ILIKE '%test%'", ['attributes.start_time ASC', 'attributes.run_name DESC']]
	])('runs --filter %j --order-by %j lists what the store searches, in its order', async (filter, orderBy) => {
		const args = [
			'runs',
			FIXTURE,
			'--view-type',
			'all',
			...(filter ? ['--filter', filter] : []),
			...orderBy.flatMap((o) => ['--order-by', o])
		];
		const r = await cli(...args);
		expect(r.code, r.stderr).toBe(0);
		const want = store.queries.searchRunIds({ view: 'all', filter, orderBy });
		expect(r.json().runs.map((x: { info: { run_id: string } }) => x.info.run_id)).toEqual(want);
	});

	it.each([
		['m.acc >= 0.94', 'Invalid entity type'],
		['acc >= 0.94', 'Invalid attribute key'],
		["metrics.A > 0.1 OR params.B = 'LR'", 'Invalid clause(s) in filter string'],
		["metrics.A > 0.1 AND (params.B = 'LR')", 'Invalid clause(s) in filter string'],
		["attribute.lifecycle_stage = 'ACTIVE'", 'Invalid attribute key'],
		["metric.model = 'LR'", 'Expected numeric value type for metric'],
		['params.acc = 5', 'Expected a quoted string value for param'],
		['tags.acc = 5', 'Expected a quoted string value for tag']
	])('runs --filter %j fails with MLflow\'s "%s", exit 1, nothing on stdout', async (filter, message) => {
		const r = await cli('runs', FIXTURE, '--filter', filter);
		expect(r.code).toBe(1);
		expect(r.stderr).toContain(message);
		expect(r.stdout).toBe('');
	});

	it('--max-results keeps the first runs of the order; a bad value is refused', async () => {
		const all = (await cli('runs', FIXTURE, '--order-by', 'attributes.start_time DESC')).json().runs;
		const two = (await cli('runs', FIXTURE, '--order-by', 'attributes.start_time DESC', '--max-results', '2')).json().runs;
		expect(two).toEqual(all.slice(0, 2));
		for (const bad of ['0', '-1', '2.5', 'x']) {
			const r = await cli('runs', FIXTURE, '--max-results', bad);
			expect(r.code).toBe(1);
			expect(r.stderr).toContain('--max-results must be a positive whole number');
		}
	});

	it('experiments, models and versions take their own grammar', async () => {
		const e = await cli('experiments', FIXTURE, '--filter', "name LIKE '%YOLO%'");
		expect(e.json().experiments.map((x: { name: string }) => x.name)).toEqual(['/Shared/YOLOv8']);
		expect((await cli('experiments', FIXTURE, '--filter', 'metrics.x > 1')).stderr).toContain('Invalid');
		const m = await cli('models', FIXTURE, '--filter', "name = 'nope'");
		expect(m.code, m.stderr).toBe(0);
		expect(m.json().registered_models).toEqual([]);
		const v = await cli('versions', FIXTURE, '--filter', "name = 'nope'");
		expect(v.json().model_versions).toEqual([]);
	});
});

describe('trackside --format', () => {
	it('csv of runs is the runs table CSV: a row per run, every metric and param', async () => {
		const r = await cli('runs', FIXTURE, '--format', 'csv');
		expect(r.code, r.stderr).toBe(0);
		const lines = r.stdout.trim().split('\n');
		const runs = store.queries.runs({});
		expect(lines).toHaveLength(runs.length + 1);
		expect(lines[0].startsWith('Start Time,Duration,Run ID,Name')).toBe(true);
		for (const run of runs) expect(r.stdout).toContain(run.info.run_id);
		for (const key of new Set(runs.flatMap((x) => (x.data.metrics ?? []).map((m) => m.key)))) expect(lines[0]).toContain(key);
	});

	it('a table fits the terminal, one line per row, and names the columns left out', async () => {
		const r = await cli('runs', FIXTURE, '--format', 'table');
		const lines = r.stdout.trim().split('\n');
		expect(lines[0].split(/\s{2,}/).slice(0, 3)).toEqual(['run_id', 'run_name', 'status']);
		expect(lines[1]).toMatch(/^-+ {2}-+/);
		for (const line of lines) expect(line.length).toBeLessThanOrEqual(120);
		expect(lines.at(-1)).toMatch(/^\(\d+ more columns: .*--format csv or json has them all\)$/);
		expect(lines.length).toBe(store.queries.runs({}).length + 3);
	});

	it('a metric history as CSV: one row per point, as stored', async () => {
		const [run] = store.queries.runs({});
		const [key] = Object.keys(store.queries.metricHistories(run.info.run_id));
		const s = store.queries.metricHistory(run.info.run_id, key)!;
		const r = await cli('history', FIXTURE, '--run-id', run.info.run_id, '--metric', key, '--format', 'csv');
		const lines = r.stdout.trim().split('\n');
		expect(lines[0]).toBe('key,value,timestamp,step');
		expect(lines.slice(1).map((l) => Number(l.split(',')[1]))).toEqual(Array.from(s.values));
	});

	it('csv and table of experiments; an unknown format is refused', async () => {
		const csv = await cli('experiments', FIXTURE, '--format', 'csv');
		expect(csv.stdout.split('\n')[0]).toBe('experiment_id,name,artifact_location,lifecycle_stage,creation_time,last_update_time');
		const table = await cli('experiments', FIXTURE, '--format', 'table');
		expect(table.stdout).toMatch(/^experiment_id\s+name/);
		expect(table.stdout).toMatch(/\d{4}-\d\d-\d\d \d\d:\d\d:\d\d/);
		const bad = await cli('runs', FIXTURE, '--format', 'xml');
		expect(bad.code).toBe(1);
		expect(bad.stderr).toContain('--format must be json, csv or table (got xml)');
	});
});

describe('trackside --version and --help', () => {
	it('names its version, and a command its own usage on stdout, exit 0', async () => {
		const v = await cli('--version');
		expect([v.code, v.stdout.trim()]).toEqual([0, `trackside ${(await import('../lib/version')).TRACKSIDE_VERSION}`]);
		const h = await cli('runs', '--help');
		expect(h.code).toBe(0);
		const usage = h.stdout.split('\n\n')[0].split('\n');
		expect(usage).toHaveLength(2);
		expect(usage[1]).toMatch(/^ {2}trackside runs <store-or-inputs\.\.\.> .*\[SEARCH\] \[--format json\|csv\|table\]$/);
		const all = await cli('--help');
		for (const command of [
			'import',
			'experiments',
			'runs',
			'models',
			'versions',
			'history',
			'traces',
			'trace',
			'pull',
			'export',
			'snapshot',
			'publish'
		])
			expect(all.stdout).toContain(`  trackside ${command} `);
	});
});

describe('trackside typos', () => {
	it.each([
		[['rnus', 'x'], 'unknown command rnus; did you mean runs?'],
		[['runs', 'x', '--filtr', 'a'], 'unknown option --filtr; did you mean --filter?'],
		[['runs', 'x', '--max-result', '3'], 'unknown option --max-result; did you mean --max-results?'],
		[['zzzzzz', 'x'], 'unknown command zzzzzz\n']
	])('%j says %j', async (argv, message) => {
		const r = await cli(...argv);
		expect(r.code).toBe(1);
		expect(r.stderr).toContain(`trackside: ${message}`);
	});
});

describe('listing formats at scale', () => {
	it('a table of 200,000 rows is laid out without overflowing the call stack', async () => {
		const { toTable } = await import('./listing');
		const rows = Array.from({ length: 200_000 }, (_, i) => ({ run_id: String(i), name: `run-${i}` }));
		const text = toTable({ columns: ['run_id', 'name'], rows }, 80);
		expect(text.split('\n')[2]).toBe('0       run-0');
	});
});
