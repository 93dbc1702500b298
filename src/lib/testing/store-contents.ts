/** Test helper: what a store holds, in a comparable form (for round trips and pulls). */
import type { Store } from '../db/store';

/** Everything a round trip must keep, in a comparable form. */
export function contents(store: Store) {
	const q = store.queries;
	const kv = (l: { key: string; value: string }[] | undefined) => Object.fromEntries((l ?? []).map((t) => [t.key, t.value]).sort());
	const experiments = q.experiments('all').map((e) => ({ name: e.name, lifecycle: e.lifecycle_stage, tags: kv(e.tags) }));
	const runs = q.runs({ view: 'all' }).map((r) => {
		const histories = q.metricHistories(r.info.run_id);
		return {
			id: r.info.run_id,
			experiment: q.experiment(r.info.experiment_id)!.name,
			name: r.info.run_name ?? null,
			status: r.info.status,
			start: r.info.start_time ?? null,
			end: r.info.end_time ?? null,
			lifecycle: r.info.lifecycle_stage,
			params: kv(r.data.params),
			tags: kv(r.data.tags),
			metrics: Object.fromEntries(
				Object.entries(histories).map(([k, s]) => [
					k,
					{ steps: Array.from(s.steps), timestamps: Array.from(s.timestamps), values: Array.from(s.values).map(String) }
				])
			)
		};
	});
	const models = q
		.registeredModels({}, 'all')
		.map((m) => ({ name: m.name, description: m.description || null, tags: kv(m.tags), aliases: m.aliases ?? [] }));
	const versions = q.modelVersions({}, 'all').map((v) => ({
		name: v.name,
		version: v.version,
		stage: v.current_stage,
		run: v.run_id || null,
		source: v.source || null,
		description: v.description || null,
		tags: kv(v.tags)
	}));
	const byKey = <T extends Record<string, unknown>>(xs: T[], key: (x: T) => string) => [...xs].sort((a, b) => key(a).localeCompare(key(b)));
	return {
		experiments: byKey(experiments, (e) => e.name),
		runs: byKey(runs, (r) => r.id),
		models: byKey(models, (m) => m.name),
		versions: byKey(versions, (v) => `${v.name}/${v.version}`)
	};
}
