/**
 * MLflow REST JSON: the mlflow-tools dumps (../shared/fixtures/real/amesar__mlflow-tools.zip,
 * runs/get and registry shapes) checked against their own files, and saved REST responses built
 * from them (paged runs/search, experiments/search, metrics/get-history) imported in two steps.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { strFromU8, strToU8, unzipSync } from 'fflate';
import { parse as parseYaml } from 'yaml';
import { Store } from '../db/store';
import { treeFromMap } from '../sources/tree';
import { importTree } from '.';
import { FIXTURES, importFixture, sqlJs } from '../testing/fixtures';

const ZIP = 'amesar__mlflow-tools.zip';
const files = unzipSync(readFileSync(FIXTURES + ZIP));
const docs = Object.entries(files)
	.filter(([p]) => /\.(json|ya?ml)$/.test(p))
	.map(([path, bytes]) => ({ path, doc: (path.endsWith('.json') ? JSON.parse(strFromU8(bytes)) : parseYaml(strFromU8(bytes))) as any }));
const kv = (v: any): Record<string, string> =>
	Object.fromEntries(
		(Array.isArray(v) ? v.map((t: any) => [t.key, t.value]) : Object.entries(v ?? {})).map(([k, x]: any) => [
			k,
			typeof x === 'string' ? x : JSON.stringify(x)
		])
	);

/** Every runs/get-shaped run in a dump, wherever the dump nests it. */
function runsIn(doc: any): any[] {
	const out: any[] = [];
	const visit = (v: any) => {
		if (v?.info?.run_id) out.push(v);
		else if (v?.run) visit(v.run);
	};
	visit(doc);
	for (const r of doc.runs ?? []) visit(r);
	for (const vr of doc.version_runs ?? []) visit(vr.run);
	return out;
}

describe('mlflow-tools dumps (runs/get and registry shapes)', async () => {
	const { store, report } = await importFixture(ZIP);
	const q = store.queries;

	it('imports every run with its params, tags and latest metrics, flagged latest-only', () => {
		const runs = docs.flatMap((d) => runsIn(d.doc).map((run) => ({ path: d.path, run })));
		expect(new Set(runs.map((r) => r.run.info.run_id)).size).toBe(report.imported.runs);
		expect(report.imported.runs).toBeGreaterThanOrEqual(15);
		for (const { path, run } of runs) {
			const stored = q.run(run.info.run_id)!;
			expect(stored, path).toBeDefined();
			expect(stored.info.start_time, path).toBeGreaterThan(1.6e12);
			expect(kv(stored.data.params)).toMatchObject(kv(run.data?.params));
			for (const k of Object.keys(kv(run.data?.tags))) expect(kv(stored.data.tags)[k], `${path} tag ${k}`).toBeDefined();
			const keys = new Map(q.metricKeys(run.info.run_id).map((k) => [k.key, k]));
			for (const m of run.data?.metrics ?? []) {
				expect(keys.get(m.key)?.latest_only, `${path} ${m.key}`).toBe(1);
				expect(stored.data.metrics!.find((x) => x.key === m.key)!.value).toBe(m.value);
			}
		}
	});

	it('imports experiments, registered models and versions from the dumps', () => {
		// Experiment 1 is dumped twice: each tag holds one of the copies' values.
		const copies = new Map<string, any[]>();
		for (const { doc } of docs.filter((d) => d.doc.experiment?.experiment_id)) {
			const id = String(doc.experiment.experiment_id);
			copies.set(id, [...(copies.get(id) ?? []), doc.experiment]);
		}
		for (const [id, list] of copies) {
			const e = q.experiment(id)!;
			expect(list.map((x) => x.name)).toContain(e.name);
			const tags = kv(e.tags);
			for (const copy of list) {
				for (const k of Object.keys(kv(copy.tags)))
					expect(
						list.map((x) => kv(x.tags)[k]),
						`${id} tag ${k}`
					).toContain(tags[k]);
			}
		}
		const models = new Map(q.registeredModels().map((m) => [m.name, m]));
		for (const { path, doc } of docs.filter((d) => d.doc.registered_model?.name)) {
			const m = doc.registered_model;
			expect(models.get(m.name), path).toBeDefined();
			for (const a of Array.isArray(m.aliases) ? m.aliases : []) {
				expect(models.get(m.name)!.aliases).toContainEqual({ alias: a.alias, version: String(a.version) });
			}
			for (const v of Array.isArray(m.latest_versions) ? m.latest_versions : []) {
				const sv = q.modelVersions({ name: m.name }).find((x) => x.version === String(v.version))!;
				expect(sv, `${path} v${v.version}`).toMatchObject({ current_stage: v.current_stage, run_id: v.run_id, source: v.source });
				expect(kv(sv.tags)).toEqual(kv(v.tags));
			}
		}
		expect(report.imported.registeredModels).toBe(models.size);
	});

	it('names each file it could not use and why', () => {
		const skipped = report.skipped.map((s) => s.path).sort();
		expect(skipped).toEqual([
			'samples/check_version/check_model_version.json',
			'samples/check_version/compare_model_versions.json',
			'samples/databricks_mlflow/mlflow_models/mlflow_model.json',
			'samples/oss_mlflow/mlflow_models/mlflow_model.json',
			'samples/oss_mlflow/mlflow_models/mlflow_model.yaml'
		]);
		expect(report.skipped[0].reason).toMatch(/not an MLflow REST response/);
		expect(report.found).toEqual([expect.stringMatching(/^MLflow REST JSON files \(\d+\)$/)]);
	});
});

describe('saved REST responses', () => {
	// The runs of a real experiment dump, as a server returns them from runs/search in two pages.
	const dump = docs.find((d) => d.path === 'samples/oss_mlflow/experiments/experiment.json')!.doc;
	const runs = structuredClone(dump.runs.map((r: any) => r.run));
	const runId = runs[0].info.run_id as string;
	const key = runs[0].data.metrics[0].key as string;
	// The run logged three points; runs/search returns the last.
	const latest = (runs[0].data.metrics[0] = { ...runs[0].data.metrics[0], step: 2 });
	const json = (v: unknown) => strToU8(JSON.stringify(v));
	const responses = new Map([
		['responses/experiments_search.json', json({ experiments: [dump.experiment] })],
		['responses/runs_search_1.json', json({ runs: runs.slice(0, 1), next_page_token: 'x' })],
		['responses/runs_search_2.json', json({ runs: runs.slice(1) })]
	]);
	// metrics/get-history for one run and key, saved under the run's id (the response has no run id).
	const history = [0, 1, 2].map((step) => ({
		key,
		value: step === 2 ? latest.value : step / 10,
		timestamp: latest.timestamp - 10 + step,
		step
	}));
	history[2] = { ...latest, step: 2 };
	const historyFile = new Map([[`history/${runId}/${key}.json`, json({ metrics: history })]]);

	it('imports paged runs/search with experiments/search, then fills in a history from get-history', async () => {
		const SQL = await sqlJs();
		const store = Store.open(SQL);
		const first = await importTree(SQL, store, treeFromMap('responses', responses));
		expect(first.imported).toMatchObject({ experiments: 1, runs: runs.length });
		expect(first.notes).toEqual([]);
		expect(store.queries.runs({ experimentIds: [String(dump.experiment.experiment_id)] })).toHaveLength(runs.length);
		expect(store.queries.metricKeys(runId).find((k) => k.key === key)).toMatchObject({ point_count: 1, latest_only: 1 });

		const second = await importTree(SQL, store, treeFromMap('history', historyFile));
		// Two new points; the third is the latest value the store already had.
		expect(second.imported.metricPoints).toBe(2);
		expect(second.notes).toContain('1 metric point(s) were already in the store (the same runs imported before) and were not added again.');
		// The latest point the run had is the history's last: merged, not duplicated.
		expect(store.queries.metricKeys(runId).find((k) => k.key === key)).toMatchObject({ point_count: 3, latest_only: 0 });
		expect(Array.from(store.queries.metricHistory(runId, key)!.values)).toEqual(history.map((p) => p.value));
	});

	it('refuses a history whose run is unknown, and a lone file that is not MLflow JSON, changing nothing', async () => {
		const SQL = await sqlJs();
		const store = Store.open(SQL);
		await expect(importTree(SQL, store, treeFromMap('history', historyFile))).rejects.toThrow(
			new RegExp(`Nothing could be imported from history:\\n.*metric history of run ${runId}, which is not in this import or the store`)
		);
		await expect(importTree(SQL, store, treeFromMap('x.json', new Map([['x.json', json({ hello: 1 })]])))).rejects.toThrow(
			/No MLflow data found in x.json/
		);
		expect(store.queries.counts().runs).toBe(0);
	});

	it('the same run from two sources is one run: the newer copy wins in either order, histories merge', async () => {
		const SQL = await sqlJs();
		const copy = (end: number, status: string, tag: string, point: { step: number; value: number }) => ({
			info: {
				run_id: 'a'.repeat(32),
				experiment_id: '1',
				status,
				start_time: 10,
				end_time: end,
				lifecycle_stage: 'active',
				run_name: `copy-${end}`
			},
			data: {
				metrics: [{ key: 'loss', value: point.value, timestamp: 10 + point.step, step: point.step }],
				params: [],
				tags: [{ key: tag, value: String(end) }]
			}
		});
		const newer = json({
			experiments: [{ experiment_id: '1', name: 'e', lifecycle_stage: 'active' }],
			runs: [copy(200, 'FINISHED', 'b', { step: 1, value: 0.5 })]
		});
		const older = json({
			experiments: [{ experiment_id: '1', name: 'e', lifecycle_stage: 'active' }],
			runs: [copy(100, 'RUNNING', 'a', { step: 0, value: 0.9 })]
		});
		for (const order of [
			[older, newer],
			[newer, older]
		]) {
			const store = Store.open(SQL);
			for (const [i, bytes] of order.entries()) await importTree(SQL, store, treeFromMap(`s${i}`, new Map([[`s${i}.json`, bytes]])));
			const run = store.queries.run('a'.repeat(32))!;
			expect(run.info).toMatchObject({ run_name: 'copy-200', status: 'FINISHED', end_time: 200 });
			expect(run.data.tags).toEqual(
				expect.arrayContaining([
					{ key: 'a', value: '100' },
					{ key: 'b', value: '200' }
				])
			);
			expect(Array.from(store.queries.metricHistory('a'.repeat(32), 'loss')!.steps)).toEqual([0, 1]);
			expect(store.queries.runs({ view: 'all' })).toHaveLength(1);
		}
	});
});
