/**
 * Every real fixture in ../shared/fixtures/real imported into a fresh store, checked against
 * values read off the files themselves (meta.yaml, metric lines, mlflow.db rows).
 */
import { describe, expect, it } from 'vitest';
import type { Store } from '../db/store';
import type { Run } from '../db/rest-types';
import type { ImportCounts } from './context';
import { importFixture } from '../testing/fixtures';

const tag = (run: Run, key: string) => run.data.tags?.find((t) => t.key === key)?.value;
const latest = (run: Run, key: string) => run.data.metrics?.find((m) => m.key === key);

interface Case {
	fixture: string;
	counts: Partial<ImportCounts>;
	check?: (store: Store) => void;
}

const cases: Case[] = [
	{
		fixture: 'emanuele-moscato__sherlockml-mlflow-demo.zip',
		counts: { experiments: 1, runs: 0 },
		check(store) {
			// 2018 meta: `experiment_id: 0` unquoted, no lifecycle_stage.
			expect(store.queries.experiments()).toMatchObject([
				{ experiment_id: '0', name: 'Default', lifecycle_stage: 'active', artifact_location: '/project/mlflow-demo/mlruns/0' }
			]);
		}
	},
	{
		fixture: 'PacktPublishing__Hyperparameter-Tuning-with-Python.zip',
		counts: { experiments: 7, runs: 19 },
		check(store) {
			const q = store.queries;
			expect(
				q
					.experiments('active')
					.map((e) => e.name)
					.sort()
			).toEqual(['Default', 'example1']);
			// .trash/ experiments are deleted although their 1.x meta.yaml says active.
			expect(
				q
					.experiments('deleted')
					.map((e) => e.name)
					.sort()
			).toEqual(['example', 'test', 'test1', 'test2', 'test3']);
			const run = q.run('a3112407148b4966b929bc9f8784a3d3')!;
			expect(run.info).toMatchObject({ experiment_id: '6', lifecycle_stage: 'active', status: 'FINISHED' });
			expect(tag(run, 'release.version')).toBeDefined();
			expect(latest(run, 'foo')).toEqual({ key: 'foo', value: 2.2922696453675444, timestamp: 1656994881718, step: 3 });
			// Steps start at 1.
			expect(Array.from(q.metricHistory(run.info.run_id, 'foo')!.steps)).toEqual([1, 2, 3]);
			const child = q.run('f7d034672fce496d891b6f054749ea99')!;
			expect(tag(child, 'mlflow.parentRunId')).toBe('a3112407148b4966b929bc9f8784a3d3');
			// A deleted run stays in its (active) experiment with lifecycle deleted and no end time.
			const deleted = q.run('bb55f3cea2cd4a61bfaa09714f19f792')!;
			expect(deleted.info).toMatchObject({ lifecycle_stage: 'deleted', status: 'RUNNING' });
			expect(deleted.info.end_time).toBeUndefined();
			expect(q.runs({ experimentIds: ['0'] }).map((r) => r.info.run_id)).not.toContain('bb55f3cea2cd4a61bfaa09714f19f792');
			expect(q.runs({ experimentIds: ['0'], view: 'deleted' }).map((r) => r.info.run_id)).toEqual(['bb55f3cea2cd4a61bfaa09714f19f792']);
		}
	},
	{
		fixture: 'PatrickCmd__mlops-zoomcamp.zip',
		counts: { runs: 134, registeredModels: 2, modelVersions: 4 },
		check(store) {
			const q = store.queries;
			expect(q.runs({ view: 'deleted' })).toHaveLength(20);
			const h = q.metricHistory('5e0ee39592c04e9888b112039ed15e6e', 'validation-rmse')!;
			expect(h.values).toHaveLength(1001);
			expect(Array.from(h.steps.slice(0, 3))).toEqual([0, 1, 2]);
			const versions = q.modelVersions({ name: 'nyc-taxi-regressor' });
			expect(versions.map((v) => [v.version, v.current_stage])).toEqual([
				['3', 'None'],
				['2', 'Archived'],
				['1', 'Production']
			]);
			expect(versions.find((v) => v.version === '1')!.tags).toEqual([{ key: 'model', value: 'xgboost' }]);
		}
	},
	{
		fixture: '1412010__nda-mlops-zoomcamp-2024.zip',
		counts: { registeredModels: 2, datasets: 2 },
		check(store) {
			const q = store.queries;
			const model = q.registeredModels().find((m) => m.name === 'nyc-taxi-model')!;
			expect(model.aliases).toEqual([
				{ alias: 'in-preview', version: '1' },
				{ alias: 'staging', version: '1' }
			]);
			expect(q.modelVersions({ name: 'nyc-taxi-model' })[0].aliases).toEqual(['in-preview', 'staging']);
			expect(q.metricHistory('92025337761b47258bb509b166789a29', 'validation-rmse')!.values).toHaveLength(166);
			const statuses = q.runs({ view: 'all' }).map((r) => r.info.status);
			expect(statuses.filter((s) => s === 'RUNNING').length).toBeGreaterThanOrEqual(1);
			// Artifacts of the DB's runs sit in week-02/mlruns/1/<run>/artifacts/.
			expect(q.artifacts('92025337761b47258bb509b166789a29').length).toBeGreaterThan(0);
		}
	},
	{
		fixture: 'AbhaySingh71__Advance-MLflow.zip',
		counts: { runs: 1, registeredModels: 1, modelVersions: 2, loggedModels: 1 },
		check(store) {
			const q = store.queries;
			const run = q.run('548f11038477446eba9ec1cbe8164897')!;
			// The metric file holds the same line twice: one point.
			expect(q.metricHistory(run.info.run_id, 'mse')!.values).toHaveLength(1);
			expect(latest(run, 'mse')!.value).toBe(356.6847104398046);
			expect(run.info.run_name).toBe('legendary-roo-165');
			const model = q.registeredModels()[0];
			expect(model.aliases).toEqual([{ alias: 'champion', version: '1' }]);
			const v2 = q.modelVersions().find((v) => v.version === '2')!;
			expect(v2.source).toBe('models:/sk-learn-random-forest-reg-model/1');
			expect(q.modelVersions().find((v) => v.version === '1')!.model_id).toBe('m-8295c1ec84394a5cb43029483caa8a4e');
			expect(q.artifacts('m-8295c1ec84394a5cb43029483caa8a4e').map((a) => a.path)).toContain('MLmodel');
		}
	},
	{
		fixture: 'Dan-Irl__mlflow-testing.zip',
		counts: { experiments: 2, runs: 4 },
		check(store) {
			const q = store.queries;
			expect(q.experiments().map((e) => e.name)).toContain('/Shared/YOLOv8');
			const run = q.run('2131d384168c44b4ad18ca0899fcd51d')!;
			expect(run.info.run_name).toBe('sgdtest3');
			expect(run.data.params).toHaveLength(105);
			// Keys with '/' are nested folders on disk.
			expect(latest(run, 'train/box_loss')).toEqual({ key: 'train/box_loss', value: 1.64043, timestamp: 1707674720361, step: 4 });
			expect(q.metricHistory(run.info.run_id, 'train/box_loss')!.values).toHaveLength(5);
			expect(latest(run, 'metrics/mAP50B')).toBeDefined();
		}
	},
	{
		fixture: 'vydang02__mlops_playground_vy.zip',
		counts: { runs: 2, modelVersions: 3, loggedModels: 2 },
		check(store) {
			// Every file has CRLF line endings.
			const e = store.queries.experiments().find((x) => x.tags?.some((t) => t.key === 'mlflow.experimentKind'))!;
			const kind = e.tags!.find((t) => t.key === 'mlflow.experimentKind')!.value;
			expect(kind.startsWith('custom_model_development')).toBe(true);
			expect(kind).not.toContain('\r');
			expect(store.queries.modelVersions().every((v) => v.current_stage === 'None')).toBe(true);
		}
	},
	{
		fixture: '1234525344__stock-quant.zip',
		counts: { runs: 11 },
		check(store) {
			const q = store.queries;
			const run = q.run('2ce7828bf35a485387518863a5590c0e')!;
			expect(run.info.status).toBe('FAILED');
			expect(latest(run, 'l2.train')).toMatchObject({ value: 0.9495195918668536, step: 299 });
			expect(q.metricHistory(run.info.run_id, 'l2.train')!.values).toHaveLength(300);
			// Newest experiment meta (trace_location, workspace) and the ~3.11 mlflow.db both read.
			expect(q.runs({ view: 'all' }).filter((r) => r.info.status === 'RUNNING').length).toBeGreaterThanOrEqual(1);
		}
	},
	{
		fixture: 'silver6wings__MLFlowSample.zip',
		counts: { runs: 41 },
		check(store) {
			const versions = store.queries.modelVersions({ name: 'sk-learn-random-forest-reg-model' });
			expect(
				versions
					.filter((v) => v.current_stage === 'Production')
					.map((v) => v.version)
					.sort()
			).toEqual(['3', '4']);
			// Artifacts live in mlartifacts/ (tracking server layout).
			const withArtifacts = store.queries.runs().filter((r) => store.queries.artifacts(r.info.run_id).length > 0);
			expect(withArtifacts.length).toBeGreaterThan(10);
		}
	},
	{
		fixture: '01-AlstonAlvares__A3.zip',
		counts: { runs: 513 },
		check(store) {
			const runs = store.queries.runs();
			expect(runs.filter((r) => tag(r, 'mlflow.parentRunId')).length).toBe(144);
		}
	},
	{
		fixture: 'AmolMavuduru__PyCaretTutorial.zip',
		counts: { runs: 317 },
		check(store) {
			const e = store.queries.experiments().find((x) => x.experiment_id === '1')!;
			expect(e.name).toBe('Experiment 1 (no meta.yaml)');
			expect(e.run_count).toBe(317);
			const run = store.queries.runs({ experimentIds: ['1'] })[0];
			expect(tag(run, 'Run Time')).toBeDefined();
		}
	},
	{
		fixture: 'nweiand__MLOps.zip',
		counts: { runs: 5, datasets: 2 },
		check(store) {
			const withInputs = store.queries.runs().filter((r) => r.inputs?.dataset_inputs?.length);
			expect(withInputs.length).toBeGreaterThan(0);
			const input = withInputs[0].inputs!.dataset_inputs![0];
			expect(input.tags).toEqual([{ key: 'mlflow.data.context', value: 'training' }]);
			expect(input.dataset.name).toBe('dataset');
		}
	},
	{
		fixture: 'gabrielneil__mlflow-project.zip',
		counts: { experiments: 1, runs: 2, modelVersions: 2 },
		check(store) {
			const e = store.queries.experiment('0')!;
			expect(e.name).toBe('Gabriel_Neil_Project');
			// The tag file starts with a newline; MLflow keeps values as written.
			expect(e.tags).toEqual([{ key: 'mlflow.note.content', value: '\nThis is my first project' }]);
			expect(
				store.queries
					.modelVersions()
					.map((v) => v.current_stage)
					.sort()
			).toEqual(['Production', 'Staging']);
		}
	},
	{
		fixture: 'MadanManav__MLFlow_tutorial_with_hyperopt.zip',
		counts: { experiments: 2, runs: 100, metricPoints: 900 }
	},
	{
		fixture: 'Agnes4Him__mlops-zoomcamp-2024.zip',
		counts: { runs: 43, modelVersions: 1 }
	},
	{
		fixture: '3d150n-marc3l0__mlops-zoomcamp-2025.zip',
		counts: { experiments: 4, runs: 23, datasets: 3, modelVersions: 1 }
	},
	{
		fixture: 'A01092551__proyecto_mlops_equipo_56_fase_2.zip',
		counts: { modelVersions: 2, loggedModels: 1 },
		check(store) {
			expect(store.queries.runs({ view: 'all' }).length).toBeGreaterThan(10);
		}
	},
	{
		fixture: 'FernandoLpz__Tracking-ML-model-MLflow.zip',
		counts: { experiments: 2, runs: 2 },
		check(store) {
			// 1.x: `name: ''` in meta; one run has no mlflow.runName tag at all.
			const names = store.queries.runs().map((r) => r.info.run_name ?? null);
			expect(names).toContain(null);
		}
	},
	{
		fixture: 'sam2881__mlflowdemo.zip',
		counts: { experiments: 5, runs: 0, artifacts: 0 }
	}
];

describe('importing real MLflow data', () => {
	it.each(cases)('$fixture', async ({ fixture, counts, check }) => {
		const { store, report } = await importFixture(fixture);
		expect(report.imported).toMatchObject(counts);
		const stored = store.queries.counts();
		expect(stored.runs).toBe(report.imported.runs);
		check?.(store);
		store.close();
	});
});

describe('queries', () => {
	it('model versions of one run come with their tags and aliases', async () => {
		const { store } = await importFixture('1412010__nda-mlops-zoomcamp-2024.zip');
		expect(store.queries.modelVersions({ runId: '92025337761b47258bb509b166789a29' })).toMatchObject([
			{ name: 'nyc-taxi-model', version: '1', aliases: ['in-preview', 'staging'] }
		]);
		expect(store.queries.modelVersions({ runId: 'no-such-run' })).toEqual([]);
	});
});
