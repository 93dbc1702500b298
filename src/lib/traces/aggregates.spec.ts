import { describe, expect, it } from 'vitest';
import { aggregateAssessments } from './aggregates';

const rows = (values: Record<string, string>[]) => values.map((assessments) => ({ assessments }));

describe('aggregateAssessments', () => {
	it.each([
		['pass-fail as the share that passed', ['yes', 'no', 'yes', 'yes'], { kind: 'pass', value: 0.75, count: 4 }],
		['booleans', ['true', 'false'], { kind: 'pass', value: 0.5, count: 2 }],
		['numbers as their mean', ['0.5', '1', '0'], { kind: 'mean', value: 0.5, count: 3 }],
		['judge errors left out of the share', ['yes', 'error', 'no'], { kind: 'pass', value: 0.5, count: 2 }],
		['free text counted', ['"ok"', 'Spark is a framework'], { kind: 'count', value: 2, count: 2 }]
	])('%s', (_, values, want) => {
		expect(aggregateAssessments(rows(values.map((v) => ({ a: v })))).a).toEqual(want);
	});

	it('aggregates each name over the traces that have it', () => {
		const out = aggregateAssessments(rows([{ a: 'yes', b: '2' }, { a: 'no' }, { b: '4' }]));
		expect(out).toEqual({ a: { kind: 'pass', value: 0.5, count: 2 }, b: { kind: 'mean', value: 3, count: 2 } });
	});
});
