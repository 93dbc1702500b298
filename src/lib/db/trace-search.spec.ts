/**
 * search_traces over the demo's traces: each filter's result equals a reference evaluation in
 * JS over the same traces (MLflow's meaning: a missing tag never matches, even with !=), and the
 * order is MLflow's (newest first, then trace id).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { Store } from './store';
import { importTree } from '../importers';
import { treeFromMap } from '../sources/tree';
import { sqlJs } from '../testing/fixtures';
import { demoFileStore } from '../demo/generate';
import type { TraceInfoDict } from './queries';

let store: Store;
let infos: TraceInfoDict[];
beforeAll(async () => {
	const SQL = await sqlJs();
	store = Store.open(SQL);
	await importTree(SQL, store, treeFromMap('demo', demoFileStore()));
	infos = store.queries.searchTraceIds({ experimentIds: ['103'] }).map((id) => store.queries.traceInfo(id)!);
});

const feedback = (t: TraceInfoDict, name: string) =>
	t.assessments.find((a) => a.assessment_name === name && a.feedback && a.valid)?.feedback?.value;
const ms = (t: TraceInfoDict) => t.execution_duration_ms ?? -1;

const CASES: [string, (t: TraceInfoDict) => boolean][] = [
	["trace.status = 'ERROR'", (t) => t.state === 'ERROR'],
	["attributes.status != 'OK'", (t) => t.state !== 'OK'],
	["status IN ('OK', 'ERROR')", () => true],
	['execution_time_ms > 2000', (t) => ms(t) > 2000],
	['trace.execution_time <= 1500', (t) => ms(t) <= 1500],
	["tags.environment = 'staging'", (t) => t.tags.environment === 'staging'],
	["tags.environment != 'staging'", (t) => t.tags.environment !== undefined && t.tags.environment !== 'staging'],
	["tags.`app.version` = '1.4.0'", (t) => t.tags['app.version'] === '1.4.0'],
	["tags.missing != 'x'", () => false],
	["metadata.`mlflow.trace.session` = 'session-2'", (t) => t.trace_metadata['mlflow.trace.session'] === 'session-2'],
	["request_metadata.`mlflow.trace.user` LIKE 'customer-%'", (t) => /^customer-/.test(t.trace_metadata['mlflow.trace.user'] ?? '')],
	["feedback.correctness = 'yes'", (t) => feedback(t, 'correctness') === 'yes'],
	["feedback.is_concise = 'true'", (t) => feedback(t, 'is_concise') === true],
	['feedback.correctness IS NULL', (t) => feedback(t, 'correctness') === undefined],
	['expectation.expected_response IS NOT NULL', (t) => t.assessments.some((a) => a.assessment_name === 'expected_response')],
	[
		"name = 'support_agent' AND trace.status = 'OK' AND tags.environment = 'production'",
		(t) => t.state === 'OK' && t.tags.environment === 'production'
	]
];

describe('search_traces filters', () => {
	it.each(CASES)('%s', (filter, expected) => {
		const got = store.queries.searchTraceIds({ experimentIds: ['103'], filter });
		const want = infos.filter(expected).map((t) => t.trace_id);
		expect(new Set(got)).toEqual(new Set(want));
		expect(want.length).toBeGreaterThanOrEqual(0);
	});

	it('matches something and leaves something out for most filters (the cases test the filter, not a constant)', () => {
		const decisive = CASES.filter(([, f]) => {
			const n = infos.filter(f).length;
			return n > 0 && n < infos.length;
		});
		expect(decisive.length).toBeGreaterThanOrEqual(CASES.length - 3);
	});

	it('orders newest first with the trace id as tiebreak, or as order_by says', () => {
		const ids = store.queries.searchTraceIds({ experimentIds: ['103'] });
		const byTime = [...infos].sort((a, b) => Date.parse(b.request_time) - Date.parse(a.request_time) || (a.trace_id < b.trace_id ? -1 : 1));
		expect(ids).toEqual(byTime.map((t) => t.trace_id));
		const slow = store.queries.searchTraceIds({ experimentIds: ['103'], orderBy: ['execution_time_ms DESC'] });
		expect(slow.map((id) => ms(infos.find((t) => t.trace_id === id)!))).toEqual(infos.map(ms).sort((a, b) => b - a));
	});
});
