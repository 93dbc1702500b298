import { describe, expect, it } from 'vitest';
import { Store } from '../db/store';
import { importTree } from '../importers';
import { treeFromMap } from '../sources/tree';
import { sqlJs } from '../testing/fixtures';
import { demoFileStore } from './generate';

describe('the demo GenAI experiment', () => {
	it('imports as MLflow 3 traces: spans, sessions, assessments, an error with its exception, links to the evaluation run', async () => {
		const SQL = await sqlJs();
		const store = Store.open(SQL);
		const report = await importTree(SQL, store, treeFromMap('demo', demoFileStore()));
		expect(report.skipped).toEqual([]);
		expect(report.imported.traces).toBe(18);
		const q = store.queries;
		const ids = q.searchTraceIds({ experimentIds: ['103'] });
		const rows = q.traceRows(ids);
		expect(rows.every((r) => r.span_count !== null && r.span_count >= 4)).toBe(true);
		expect(report.imported.spans).toBe(rows.reduce((n, r) => n + r.span_count!, 0));
		expect(q.sessions('103').map((s) => s.traces)).toEqual([2, 4, 4, 4, 4]);
		expect(q.traceColumns('103')).toEqual({
			assessments: ['correctness', 'expected_response', 'is_concise', 'relevance'],
			tags: ['app.version', 'environment']
		});
		expect(q.traceColumns('101')).toEqual({ assessments: [], tags: [] });
		// Its prompt: in the prompt registry, not among the models; version 3 used by the evaluation run.
		expect(q.prompts().map((p) => p.name)).toEqual(['support-answer']);
		expect(q.registeredModels().map((m) => m.name)).toEqual(['cifar10-classifier']);
		const prompt = q.prompt('support-answer')!;
		expect(prompt.versions.map((v) => v.version)).toEqual(['3', '2', '1']);
		expect(prompt.versions[0].aliases).toEqual(['production']);
		expect(prompt.uses.filter((u) => u.kind === 'run')).toMatchObject([{ version: '3', label: 'eval-gpt-4o-mini' }]);
		expect(
			prompt.uses
				.filter((u) => u.kind === 'trace')
				.map((u) => u.version)
				.sort()
		).toEqual([...Array(9).fill('2'), ...Array(9).fill('3')]);
		expect(q.traceDetail(ids[0])!.prompts).toEqual([{ name: 'support-answer', version: '3' }]);
		const failed = rows.filter((r) => r.state === 'ERROR');
		expect(failed).toHaveLength(1);
		expect(failed[0].total_tokens).toBeNull();
		const ok = rows.filter((r) => r.state === 'OK');
		expect(ok.every((r) => r.total_tokens! > 0 && r.total_cost! > 0 && !!r.request)).toBe(true);
		const evalRun = q.runs({ experimentIds: ['103'] })[0].info.run_id;
		expect(q.searchTraceIds({ experimentIds: ['103'], runId: evalRun }).length).toBe(rows.filter((r) => r.run_id === evalRun).length);
		expect(q.searchTraceIds({ experimentIds: ['103'], filter: "feedback.correctness = 'no'" }).length).toBeGreaterThan(0);
		expect(q.searchTraceIds({ experimentIds: ['103'], filter: "tags.environment = 'staging' AND trace.status = 'OK'" }).length).toBe(
			rows.filter((r) => r.tags.environment === 'staging' && r.state === 'OK').length
		);
	});
});
