/**
 * Every sample of mlflow-export-import (../shared/fixtures/real/mlflow__mlflow-export-import.zip)
 * imported, and checked against the sample files themselves: nothing dropped without a reason.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { strFromU8, unzipSync } from 'fflate';
import { FIXTURES, importFixture } from '../testing/fixtures';
import type { Run } from '../db/rest-types';

const ZIP = 'mlflow__mlflow-export-import.zip';
const files = unzipSync(readFileSync(FIXTURES + ZIP));
type Doc = { path: string; exported: number; mlflow: Record<string, any> };
const docs: Doc[] = [];
const broken: string[] = [];
for (const [path, bytes] of Object.entries(files)) {
	if (!path.endsWith('.json') || path.includes('/artifacts/')) continue;
	try {
		const doc = JSON.parse(strFromU8(bytes));
		docs.push({ path, exported: Number(doc.system.export_time), mlflow: doc.mlflow });
	} catch {
		broken.push(path);
	}
}
/** The copy an import keeps of an entity exported several times: the newest export's. */
function newest(list: Doc[], id: (d: Doc) => string): Doc[] {
	const by = new Map<string, Doc>();
	for (const d of list) {
		const seen = by.get(id(d));
		if (!seen || d.exported >= seen.exported) by.set(id(d), d);
	}
	return [...by.values()];
}
const kv = (list: { key: string; value: string }[] | undefined) => Object.fromEntries((list ?? []).map((t) => [t.key, t.value]));
const asDict = (v: any): Record<string, string> => (Array.isArray(v) ? Object.fromEntries(v.map((t: any) => [t.key, t.value])) : (v ?? {}));

describe('mlflow-export-import samples', async () => {
	const { store, report } = await importFixture(ZIP);
	const q = store.queries;

	it('reports the one malformed sample, and skips nothing else', () => {
		// samples/oss_mlflow/bulk/experiments/2/experiment.json lacks a quote and a comma.
		expect(broken).toEqual(['samples/oss_mlflow/bulk/experiments/2/experiment.json']);
		const skipped = report.skipped.map((s) => s.path).sort();
		expect(skipped).toEqual([...broken].sort());
		expect(report.skipped.find((s) => s.path === broken[0])!.reason).toMatch(/not valid JSON/);
		expect(report.found[0]).toMatch(/mlflow-export-import files \(\d+\)/);
	});

	it('imports the evaluation datasets with every record, linked to their experiments', () => {
		const samples = docs.filter((d) => d.mlflow.evaluation_dataset).map((d) => d.mlflow.evaluation_dataset);
		expect(samples).toHaveLength(2);
		expect(report.imported.evaluationDatasets).toBe(2);
		const stored = q.evaluationDatasets();
		expect(stored.map((d) => d.name).sort()).toEqual(samples.map((d) => d.name).sort());
		for (const ds of samples) {
			const records = q.datasetRecords(ds.dataset_id);
			expect(records.map((r) => JSON.parse(r.inputs))).toEqual(ds.records.map((r: any) => r.inputs));
			expect(records.map((r) => JSON.parse(r.expectations!))).toEqual(ds.records.map((r: any) => r.expectations ?? r.targets));
			for (const e of ds.experiment_ids) expect(q.evaluationDatasets(e).map((d) => d.dataset_id)).toContain(ds.dataset_id);
		}
	});

	it('imports every run.json with its params, tags and full metric histories', () => {
		const runDocs = docs.filter((d) => d.mlflow.info);
		expect(runDocs.length).toBe(19);
		for (const { path, mlflow } of runDocs) {
			// Every copy's points are kept; params and tags keys of every copy too.
			const run = q.run(mlflow.info.run_id) as Run;
			expect(run, path).toBeDefined();
			const tags = kv(run.data.tags);
			const params = kv(run.data.params);
			for (const k of Object.keys(mlflow.params)) expect(params[k], `${path} param ${k}`).toBeDefined();
			for (const k of Object.keys(mlflow.tags)) expect(tags[k], `${path} tag ${k}`).toBeDefined();
			for (const [key, points] of Object.entries(mlflow.metrics as Record<string, any[]>)) {
				const h = q.metricHistory(run.info.run_id, key)!;
				for (const p of points) {
					const i = Array.from(h.steps).findIndex((s, j) => s === p.step && h.timestamps[j] === p.timestamp);
					expect(h.values[i], `${path} ${key}@${p.step}`).toBe(p.value);
				}
			}
		}
		for (const { path, mlflow } of newest(runDocs, (d) => d.mlflow.info.run_id)) {
			const run = q.run(mlflow.info.run_id)!;
			expect(run.info, path).toMatchObject({
				status: mlflow.info.status,
				start_time: mlflow.info.start_time,
				lifecycle_stage: mlflow.info.lifecycle_stage
			});
			expect(kv(run.data.params)).toMatchObject(mlflow.params);
			expect(kv(run.data.tags)).toMatchObject(mlflow.tags);
		}
		// A run exported once is exactly as in its file.
		const once = q.run('eb66c160957d4a28b11d3f1b968df9cd')!;
		const file = runDocs.find((d) => d.mlflow.info.run_id === 'eb66c160957d4a28b11d3f1b968df9cd')!.mlflow;
		expect(kv(once.data.params)).toEqual(file.params);
		expect(kv(once.data.tags)).toEqual(file.tags);
		expect(once.info.run_name).toBe(file.info.run_name);
	});

	it('puts each run in the experiment of the experiment.json above it', () => {
		for (const { path, mlflow } of newest(
			docs.filter((d) => d.mlflow.experiment),
			(d) => d.mlflow.experiment.name
		)) {
			const e = mlflow.experiment;
			const found = q.experiments('all').filter((x) => x.name === e.name);
			expect(found.length, path).toBeGreaterThan(0);
			const ids = found.map((x) => x.experiment_id);
			for (const runId of (mlflow.runs ?? []) as string[]) {
				const run = q.run(runId);
				if (run) expect(ids, `${path} run ${run.info.run_id}`).toContain(run.info.experiment_id);
			}
			const stored = q.experiment(found[0].experiment_id)!;
			expect(kv(stored.tags)).toMatchObject(asDict(e.tags));
		}
	});

	it('imports every registered model with its versions, stages, aliases, tags and descriptions', () => {
		const modelDocs = newest(
			docs.filter((d) => d.mlflow.registered_model),
			(d) => d.mlflow.registered_model.name
		);
		expect(modelDocs.length).toBe(6);
		const models = new Map(q.registeredModels().map((m) => [m.name, m]));
		for (const { path, mlflow } of modelDocs) {
			const m = mlflow.registered_model;
			const stored = models.get(m.name)!;
			expect(stored, path).toBeDefined();
			expect(stored.description ?? null, path).toBe(m.description || null);
			expect(kv(stored.tags)).toMatchObject(asDict(m.tags));
			const aliases = Object.fromEntries((stored.aliases ?? []).map((a) => [a.alias, a.version]));
			for (const a of m.aliases ?? []) expect(aliases[a.alias], `${path} alias ${a.alias}`).toBe(String(a.version));
			const versions = new Map(q.modelVersions({ name: m.name }).map((v) => [v.version, v]));
			for (const v of m.versions ?? m.latest_versions ?? []) {
				const sv = versions.get(String(v.version))!;
				expect(sv, `${path} v${v.version}`).toBeDefined();
				expect(sv.current_stage).toBe(v.current_stage ?? 'None');
				expect(sv.run_id).toBe(v.run_id);
				expect(sv.source).toBe(v.source);
				expect(kv(sv.tags)).toEqual(asDict(v.tags));
				expect(sv.description ?? null).toBe(v.description || null);
			}
		}
		const wine = q.modelVersions({ name: 'sklearn_wine' });
		expect(wine.map((v) => [v.version, v.current_stage])).toEqual([
			['3', 'None'],
			['2', 'Staging'],
			['1', 'Production']
		]);
	});

	it('imports a single version export with its aliases, and prompts as MLflow stores them', () => {
		const v = docs.find((d) => d.mlflow.model_version)!.mlflow.model_version;
		const stored = q.modelVersions({ name: v.name }).find((x) => x.version === v.version)!;
		expect(stored.aliases).toEqual(v.aliases);
		expect(kv(stored.tags)).toEqual(v.tags);
		const p = docs.find((d) => d.mlflow.prompt)!.mlflow.prompt;
		const prompt = q.prompts().find((m) => m.name === p.name)!;
		expect(kv(prompt.tags)['mlflow.prompt.is_prompt']).toBe('true');
		const pv = q.modelVersions({ name: p.name }, 'prompts')[0];
		expect(kv(pv.tags)).toMatchObject({ ...p.tags, 'mlflow.prompt.text': p.template });
		expect(pv.description).toBe(p.commit_message);
	});

	it('indexes the artifacts exported beside a run.json', () => {
		const prefix = 'samples/databricks/single/versions/sklearn_wine/run/artifacts/';
		const expected = Object.keys(files)
			.filter((p) => p.startsWith(prefix) && !p.endsWith('/'))
			.map((p) => p.slice(prefix.length))
			.sort();
		expect(expected.length).toBeGreaterThan(5);
		expect(q.artifacts('6222162b4c7f47c2820a7e5b520f65a9').map((a) => a.path)).toEqual(expected);
		const automl = q.artifacts('5e1e2c44039a40afafc760b837a4daab').map((a) => a.path);
		expect(automl).toContain('model/MLmodel');
		expect(automl).toContain('estimator.html');
	});
});
