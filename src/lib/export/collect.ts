/**
 * What an export holds, read from the store once and shared by every output format: experiments,
 * their runs (as stored, with params, tags and full metric histories) and the registry entries
 * that go with them.
 */
import type { Store } from '../db/store';
import type { Experiment, ModelVersion, RegisteredModel } from '../db/rest-types';
import type { RunRow } from '../db/queries';
import type { Series } from '../db/series-codec';

export interface ExportRun {
	row: RunRow;
	params: Record<string, string>;
	tags: Record<string, string>;
	metrics: Record<string, Series>;
}

export interface ExportSet {
	experiments: Experiment[];
	runs: ExportRun[];
	models: RegisteredModel[];
	versions: ModelVersion[];
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
	const all = q.modelVersions();
	const wanted = everything ? undefined : new Set(all.filter((v) => v.run_id && seen.has(v.run_id)).map((v) => v.name));
	const models = q.registeredModels().filter((m) => !wanted || wanted.has(m.name));
	const names = new Set(models.map((m) => m.name));
	return { experiments, runs, models, versions: all.filter((v) => names.has(v.name)) };
}
