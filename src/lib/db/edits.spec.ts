import { describe, expect, it } from 'vitest';
import { Store } from './store';
import { sqlJs } from '../testing/fixtures';
import { EditError } from './edits';

async function fresh() {
	return Store.open(await sqlJs());
}

describe('local edits', () => {
	it('creates, renames, deletes and restores experiments; names stay unique', async () => {
		const s = await fresh();
		const { experimentId } = await s.edit({ op: 'createExperiment', name: 'baseline' }, 1000);
		const second = await s.edit({ op: 'createExperiment', name: 'tuned' }, 1000);
		expect([experimentId, second.experimentId]).toEqual(['1', '2']);
		await expect(s.edit({ op: 'createExperiment', name: 'baseline' })).rejects.toThrow(EditError);
		await expect(s.edit({ op: 'renameExperiment', experimentId: '2', name: 'baseline' })).rejects.toThrow('already exists');
		await s.edit({ op: 'renameExperiment', experimentId: '2', name: 'tuned v2' });
		await s.edit({ op: 'setExperimentTag', experimentId: '2', key: 'mlflow.note.content', value: '# Notes' });
		await s.edit({ op: 'setExperimentLifecycle', experimentId: '1', stage: 'deleted' });
		expect(s.queries.experiments('active').map((e) => e.name)).toEqual(['tuned v2']);
		expect(s.queries.experiments('deleted').map((e) => e.name)).toEqual(['baseline']);
		expect(s.queries.experiment('2')?.tags).toEqual([{ key: 'mlflow.note.content', value: '# Notes' }]);
		await s.edit({ op: 'setExperimentTag', experimentId: '2', key: 'mlflow.note.content', value: null });
		expect(s.queries.experiment('2')?.tags ?? []).toEqual([]);
	});

	it('records a run: name, params, tags, metric points, status, delete and restore', async () => {
		const s = await fresh();
		const { experimentId } = await s.edit({ op: 'createExperiment', name: 'e' });
		const { runId } = await s.edit({ op: 'createRun', experimentId: experimentId!, name: 'first' }, 5000);
		expect(runId).toMatch(/^[0-9a-f]{32}$/);
		await s.edit({ op: 'setParam', runId: runId!, key: 'lr', value: '0.1' });
		await s.edit({ op: 'setTag', runId: runId!, key: 'team', value: 'vision' });
		await s.edit({ op: 'logMetric', runId: runId!, key: 'loss', value: 0.9, step: 0, timestamp: 1 });
		await s.edit({ op: 'logMetric', runId: runId!, key: 'loss', value: 0.4, step: 1, timestamp: 2 });
		await s.edit({ op: 'setRunName', runId: runId!, name: 'renamed' });
		await s.edit({ op: 'setRunStatus', runId: runId!, status: 'FINISHED' }, 9000);
		const run = s.queries.run(runId!)!;
		expect(run.info).toMatchObject({ run_name: 'renamed', status: 'FINISHED', start_time: 5000, end_time: 9000 });
		expect(run.data.params).toEqual([{ key: 'lr', value: '0.1' }]);
		expect(run.data.tags).toContainEqual({ key: 'mlflow.runName', value: 'renamed' });
		expect(run.data.metrics).toEqual([{ key: 'loss', value: 0.4, timestamp: 2, step: 1 }]);
		expect(Array.from(s.queries.metricHistory(runId!, 'loss')!.values)).toEqual([0.9, 0.4]);

		await s.edit({ op: 'setRunLifecycle', runId: runId!, stage: 'deleted' });
		expect(s.queries.searchRunIds({ experimentIds: [experimentId!] })).toEqual([]);
		expect(s.queries.searchRunIds({ experimentIds: [experimentId!], view: 'deleted' })).toEqual([runId]);
		await s.edit({ op: 'setRunLifecycle', runId: runId!, stage: 'active' });
		expect(s.queries.searchRunIds({ experimentIds: [experimentId!], filter: "params.lr = '0.1' and metrics.loss < 0.5" })).toEqual([runId]);
	});

	it('a refused edit changes nothing', async () => {
		const s = await fresh();
		const { experimentId } = await s.edit({ op: 'createExperiment', name: 'e' });
		const { runId } = await s.edit({ op: 'createRun', experimentId: experimentId!, name: 'r' });
		const before = s.export();
		await expect(s.edit({ op: 'logMetric', runId: runId!, key: 'loss', value: 1, step: 0.5 })).rejects.toThrow('integer');
		await expect(s.edit({ op: 'setParam', runId: 'nope', key: 'a', value: 'b' })).rejects.toThrow('No run');
		await expect(s.edit({ op: 'setRunName', runId: runId!, name: '  ' })).rejects.toThrow('cannot be empty');
		expect(s.export()).toEqual(before);
	});
});

describe('registry edits', () => {
	async function withRun() {
		const s = await fresh();
		const { experimentId } = await s.edit({ op: 'createExperiment', name: 'e' });
		const { runId } = await s.edit({ op: 'createRun', experimentId: experimentId!, name: 'r' });
		return { s, runId: runId! };
	}

	it('registers versions from a run (creating the model), transitions stages archiving the old, moves aliases', async () => {
		const { s, runId } = await withRun();
		const v1 = await s.edit({ op: 'createModelVersion', name: 'clf', runId, artifactPath: 'model/' });
		const v2 = await s.edit({ op: 'createModelVersion', name: 'clf', runId, artifactPath: 'model' });
		expect([v1.version, v2.version]).toEqual([1, 2]);
		expect(s.queries.modelVersions({ name: 'clf' }).map((v) => v.source)).toEqual([`runs:/${runId}/model`, `runs:/${runId}/model`]);
		await s.edit({ op: 'transitionStage', name: 'clf', version: 1, stage: 'Production', archiveExisting: false });
		await s.edit({ op: 'transitionStage', name: 'clf', version: 2, stage: 'Production', archiveExisting: true });
		const stage = (v: string) => s.queries.modelVersions({ name: 'clf' }).find((x) => x.version === v)!.current_stage;
		expect([stage('1'), stage('2')]).toEqual(['Archived', 'Production']);

		await s.edit({ op: 'setAlias', name: 'clf', alias: 'champion', version: 1 });
		await s.edit({ op: 'setAlias', name: 'clf', alias: 'champion', version: 2 });
		expect(s.queries.registeredModels()[0].aliases).toEqual([{ alias: 'champion', version: '2' }]);
		await expect(s.edit({ op: 'setAlias', name: 'clf', alias: 'latest', version: 1 })).rejects.toThrow('reserved');
		await s.edit({ op: 'setAlias', name: 'clf', alias: 'champion', version: null });
		expect(s.queries.registeredModels()[0].aliases ?? []).toEqual([]);
	});

	it('creates models, edits description and tags, deletes versions and models', async () => {
		const { s, runId } = await withRun();
		await s.edit({ op: 'createRegisteredModel', name: 'm', description: 'first' });
		await expect(s.edit({ op: 'createRegisteredModel', name: 'm' })).rejects.toThrow('already exists');
		await s.edit({ op: 'setModelDescription', name: 'm', description: '# New' });
		await s.edit({ op: 'setModelTag', name: 'm', key: 'task', value: 'cv' });
		await s.edit({ op: 'createModelVersion', name: 'm', runId, artifactPath: 'model' });
		await s.edit({ op: 'setVersionTag', name: 'm', version: 1, key: 'validated', value: 'yes' });
		await s.edit({ op: 'setVersionDescription', name: 'm', version: 1, description: 'ok' });
		expect(s.queries.registeredModels({ filter: "tags.task = 'cv'" })[0]).toMatchObject({ name: 'm', description: '# New' });
		expect(s.queries.modelVersions({ filter: "tags.validated = 'yes'" })[0]).toMatchObject({ version: '1', description: 'ok' });
		await s.edit({ op: 'deleteModelVersion', name: 'm', version: 1 });
		expect(s.queries.modelVersions({ name: 'm' })).toEqual([]);
		await s.edit({ op: 'deleteRegisteredModel', name: 'm' });
		expect(s.queries.registeredModels()).toEqual([]);
		await expect(s.edit({ op: 'setModelTag', name: 'm', key: 'a', value: 'b' })).rejects.toThrow('No registered model');
	});
});
