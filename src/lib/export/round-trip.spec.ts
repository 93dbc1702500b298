/**
 * Round trips over every real fixture: import it, export it (mlruns zip, REST JSON zip), import
 * the export into a fresh store, and find the same experiments, runs, params, tags, metric
 * histories and registry.
 */
import { describe, expect, it } from 'vitest';
import { readdirSync } from 'node:fs';
import { unzipSync } from 'fflate';
import { Store } from '../db/store';
import { importTree } from '../importers';
import { treeFromMap } from '../sources/tree';
import { FIXTURES, importFixture, sqlJs } from '../testing/fixtures';
import { exportFile, type ExportFormat } from '.';

/** Everything a round trip must keep, in a comparable form. */
function contents(store: Store) {
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
				Object.entries(histories).map(([k, s]) => [k, { steps: Array.from(s.steps), timestamps: Array.from(s.timestamps), values: Array.from(s.values).map(String) }])
			)
		};
	});
	const models = q.registeredModels().map((m) => ({ name: m.name, description: m.description || null, tags: kv(m.tags), aliases: m.aliases ?? [] }));
	const versions = q.modelVersions().map((v) => ({
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

const fixtures = readdirSync(FIXTURES).filter((f) => f.endsWith('.zip'));

describe.each(fixtures)('%s', (fixture) => {
	it.each(['mlruns', 'mlflow-db', 'rest-json'] as ExportFormat[])('round-trips through a %s export', async (format) => {
		const { store } = await importFixture(fixture);
		const before = contents(store);
		const experimentIds = store.queries.experiments('all').map((e) => e.experiment_id);
		const bytes = exportFile(await sqlJs(), store, { experimentIds }, format);
		const files = format === 'mlflow-db' ? new Map([['mlflow.db', bytes]]) : new Map(Object.entries(unzipSync(bytes)));
		const again = Store.open(await sqlJs());
		await importTree(await sqlJs(), again, treeFromMap('export', files), { now: 0 });
		const after = contents(again);
		if (format === 'mlflow-db') {
			// MLflow's experiments table has unique names: a second experiment of the same name (two
			// stores in one fixture) is written as "name (2)". Every name is unique there; the rest equal.
			expect(new Set(after.experiments.map((e) => e.name)).size).toBe(after.experiments.length);
			const plain = (name: string) => name.replace(/ \(\d+\)$/, '');
			for (const e of after.experiments) e.name = plain(e.name);
			for (const r of after.runs) r.experiment = plain(r.experiment);
			after.experiments.sort((a, b) => a.name.localeCompare(b.name));
			before.experiments.sort((a, b) => a.name.localeCompare(b.name));
		}
		expect(after).toEqual(before);
	});
});
