/**
 * Traces from mlflow-export-import (trace/export_trace.py, bulk/export_traces.py): each trace a
 * folder with `trace.json` (the exporting MLflow's TraceInfo `__dict__`, via trace_utils
 * `_trace_to_json`: MLflow 3 attribute names, assessments with `assessment_type`, an expectation's
 * value bare, a feedback's as {value, error}) and the downloaded artifact `traces.json` beside it.
 * Built here from a real store the way the tool writes them; imported, they equal the store's.
 */
import { describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { strToU8 } from 'fflate';
import { Store } from '../db/store';
import { importTree } from '../importers';
import { treeFromMap } from '../sources/tree';
import { importInto, sqlJs } from '../testing/fixtures';
import { localSource } from '../workspace/series-source';
import { MemoryPersistence } from '../workspace/persistence';

const GENAI = fileURLToPath(new URL('../../../../shared/fixtures/genai/', import.meta.url));

async function exportedLikeTheTool(store: Store): Promise<Map<string, Uint8Array>> {
	const q = store.queries;
	const source = localSource(() => store, new MemoryPersistence());
	const files = new Map<string, Uint8Array>();
	const system = {
		package_version: '1.2.0',
		script: 'export_trace.py',
		export_file_version: '2',
		export_time: 1767225600,
		mlflow_version: '3.9.0'
	};
	const experiments = q.experiments('all');
	const summary: { id: string; name: string; traces: string[] }[] = [];
	for (const e of experiments) {
		const ids = q.searchTraceIds({ experimentIds: [e.experiment_id] });
		if (ids.length) summary.push({ id: e.experiment_id, name: e.name, traces: ids });
		for (const id of ids) {
			const i = q.traceInfo(id)!;
			const info = {
				trace_id: i.trace_id,
				trace_location: { type: 'MLFLOW_EXPERIMENT', mlflow_experiment: { experiment_id: e.experiment_id }, inference_table: null },
				request_time: Date.parse(i.request_time),
				state: i.state,
				request_preview: i.request_preview ?? null,
				response_preview: i.response_preview ?? null,
				client_request_id: i.client_request_id ?? null,
				execution_duration: i.execution_duration_ms ?? null,
				trace_metadata: i.trace_metadata,
				tags: i.tags,
				assessments: i.assessments.map((a) => ({
					assessment_type: a.expectation ? 'expectation' : 'feedback',
					name: a.assessment_name,
					source: a.source ?? null,
					trace_id: a.trace_id,
					run_id: a.run_id ?? null,
					rationale: a.rationale ?? null,
					metadata: a.metadata ?? null,
					span_id: a.span_id ?? null,
					create_time_ms: a.create_time ? Date.parse(a.create_time) : null,
					last_update_time_ms: a.last_update_time ? Date.parse(a.last_update_time) : null,
					assessment_id: a.assessment_id,
					error: null,
					overrides: a.overrides ?? null,
					valid: a.valid,
					...(a.expectation ? { expectation: a.expectation.value } : { feedback: { value: a.feedback?.value ?? null, error: null } })
				}))
			};
			const dir = `out/${id}`;
			files.set(`${dir}/trace.json`, strToU8(JSON.stringify({ system, mlflow: { info, data: [] } })));
			const spans: unknown[] = [];
			for (const c of q.spanChunkNumbers(id)) spans.push(...JSON.parse((await source.spanChunk(id, c))!));
			if (spans.length) files.set(`${dir}/traces.json`, strToU8(JSON.stringify({ spans })));
		}
	}
	files.set(
		'out/traces.json',
		strToU8(JSON.stringify({ system: { ...system, script: 'export_traces.py' }, mlflow: { experiments: summary } }))
	);
	return files;
}

describe('mlflow-export-import traces', () => {
	it.each(['takaaki-yayoi__mlflow_llmops.zip', 'paruldiwakar__mlflow-genai.zip'])(
		'%s: every trace, span and assessment comes back',
		async (zip) => {
			const store = Store.open(await sqlJs());
			await importInto(store, GENAI + zip);
			const again = Store.open(await sqlJs());
			const report = await importTree(await sqlJs(), again, treeFromMap('export', await exportedLikeTheTool(store)), { now: 0 });
			expect(report.found.join()).toContain('mlflow-export-import');
			expect(report.imported.runs).toBe(0);
			const q = store.queries;
			const ids = q.searchTraceIds({ experimentIds: q.experiments('all').map((e) => e.experiment_id) });
			expect(report.imported.traces).toBe(ids.length);
			// The experiments come from the summary's names.
			expect(
				again.queries
					.experiments('all')
					.map((e) => e.name)
					.sort()
			).toEqual([...new Set(ids.map((id) => q.experiment(q.traceRows([id])[0].experiment_id)!.name))].sort());
			for (const id of ids) {
				const { trace_location: _, ...want } = q.traceInfo(id)!;
				const { trace_location: __, ...got } = again.queries.traceInfo(id)!;
				expect(got).toEqual(want);
				expect(again.queries.traceDetail(id)!.spans).toEqual(q.traceDetail(id)!.spans);
			}
		}
	);
});
