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
import { contents } from '../testing/store-contents';
import { exportFile, type ExportFormat } from '.';

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
