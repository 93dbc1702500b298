/**
 * What an export holds, read from the store once and shared by every output format: experiments,
 * their runs (as stored, with params, tags and full metric histories) and the registry entries
 * that go with them.
 */
import type { Store } from '../db/store';
import type { Experiment, ModelVersion, RegisteredModel } from '../db/rest-types';
import type { RunRow, TraceInfoDict } from '../db/queries';
import { spanFileJson, unpackChunk } from '../db/trace-writer';
import type { Series } from '../db/series-codec';

export interface ExportRun {
	row: RunRow;
	params: Record<string, string>;
	tags: Record<string, string>;
	metrics: Record<string, Series>;
}

export interface ExportTrace {
	info: TraceInfoDict;
	/** The trace's span file (`{"spans": [...]}`, spans as stored), or null when the store has none. */
	spans: string | null;
}

export interface ExportSet {
	experiments: Experiment[];
	runs: ExportRun[];
	models: RegisteredModel[];
	versions: ModelVersion[];
	/** GenAI traces of the exported experiments (less those of runs left out). */
	traces: ExportTrace[];
}

export interface Selection {
	/** Whole experiments (all their runs, any lifecycle). */
	experimentIds?: string[];
	/** Single runs; their experiments come along, without their other runs. */
	runIds?: string[];
}

const kv = (list: { key: string; value: string }[] | undefined) => Object.fromEntries((list ?? []).map((t) => [t.key, t.value]));

export function collect(store: Store, sel: Selection): ExportSet {
	const q = store.queries;
	const rows = q.runRows(sel);
	const seen = new Set<string>();
	const unique = rows.filter((r) => !seen.has(r.run_uuid) && seen.add(r.run_uuid));
	const experimentIds = [...new Set([...(sel.experimentIds ?? []), ...unique.map((r) => r.experiment_id)])];
	const experiments = experimentIds.map((id) => q.experiment(id)).filter((e): e is Experiment => !!e);
	const runs = unique.map((row) => {
		const run = q.run(row.run_uuid)!;
		return { row, params: kv(run.data.params), tags: kv(run.data.tags), metrics: q.metricHistories(row.run_uuid) };
	});
	// The registry: every model when every experiment is exported, else the models with a version
	// from an exported run (with all their versions, as a model is one unit).
	const everything = experiments.length > 0 && q.experiments('all').every((e) => experimentIds.includes(e.experiment_id));
	const all = q.modelVersions({}, 'all');
	const wanted = everything ? undefined : new Set(all.filter((v) => v.run_id && seen.has(v.run_id)).map((v) => v.name));
	// Prompts are registered models too (MLflow's prompt registry); they go wherever models go.
	const models = q.registeredModels({}, 'all').filter((m) => !wanted || wanted.has(m.name));
	const names = new Set(models.map((m) => m.name));
	const allRuns = new Set(sel.runIds ? q.runRows({ experimentIds }).map((r) => r.run_uuid) : []);
	const traces = q
		.traceRows(q.searchTraceIds({ experimentIds }))
		// With chosen runs, a trace of another run of the same experiment stays behind.
		.filter((t) => !sel.runIds || !t.run_id || !allRuns.has(t.run_id) || seen.has(t.run_id))
		.map((t) => {
			const chunks = q.spanChunkNumbers(t.trace_id).map((c) => q.spanChunk(t.trace_id, c));
			const complete = chunks.length > 0 && chunks.every((c) => c !== undefined);
			return { info: q.traceInfo(t.trace_id)!, spans: complete ? spanFileJson(chunks.map((c) => unpackChunk(c!))) : null };
		});
	return { experiments, runs, models, versions: all.filter((v) => names.has(v.name)), traces };
}
