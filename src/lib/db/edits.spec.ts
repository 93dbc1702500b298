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
