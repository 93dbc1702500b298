/**
 * Assessments aggregated over traces, as MLflow's evaluation summarizes a scorer: pass-fail values
 * (yes/no, true/false) as the share that passed, numbers as their mean; anything else is counted.
 * Used by a run's evaluation results and the comparison's assessment metrics.
 */
import type { TraceRow } from '../db/queries';

export interface AssessmentAggregate {
	kind: 'pass' | 'mean' | 'count';
	value: number;
	/** Traces with a value for this assessment. */
	count: number;
}

const PASS = new Set(['yes', 'true', 'pass', 'passed']);
const FAIL = new Set(['no', 'false', 'fail', 'failed']);

export function aggregateAssessments(rows: Pick<TraceRow, 'assessments'>[]): Record<string, AssessmentAggregate> {
	const values = new Map<string, string[]>();
	for (const r of rows)
		for (const [name, v] of Object.entries(r.assessments)) {
			let list = values.get(name);
			if (!list) values.set(name, (list = []));
			list.push(v);
		}
	const out: Record<string, AssessmentAggregate> = Object.create(null);
	for (const [name, list] of values) {
		const judged = list.filter((v) => v !== 'error');
		const lower = judged.map((v) => v.toLowerCase());
		if (judged.length && lower.every((v) => PASS.has(v) || FAIL.has(v))) {
			out[name] = { kind: 'pass', value: lower.filter((v) => PASS.has(v)).length / judged.length, count: judged.length };
		} else if (judged.length && judged.every((v) => v.trim() !== '' && Number.isFinite(Number(v)))) {
			out[name] = { kind: 'mean', value: judged.reduce((s, v) => s + Number(v), 0) / judged.length, count: judged.length };
		} else out[name] = { kind: 'count', value: list.length, count: list.length };
	}
	return out;
}
