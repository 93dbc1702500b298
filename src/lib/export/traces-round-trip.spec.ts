/**
 * Traces survive exports, as far as each MLflow format holds them: an mlruns export (MLflow 3's
 * trace folders) brings back every trace, its metadata, tags, assessments and spans; an mlflow.db
 * export (MLflow 2.13's schema) brings back each trace's info, tags and metadata. Over every real
 * GenAI fixture.
 */
import { describe, expect, it } from 'vitest';
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { unzipSync } from 'fflate';
import { Store } from '../db/store';
import { importTree } from '../importers';
import { treeFromMap } from '../sources/tree';
import { importInto, sqlJs } from '../testing/fixtures';
import { localSource } from '../workspace/series-source';
import { MemoryPersistence } from '../workspace/persistence';
import { exportFile } from '.';

const GENAI = fileURLToPath(new URL('../../../../shared/fixtures/genai/', import.meta.url));
const fixtures = readdirSync(GENAI).filter((f) => f.endsWith('.zip'));

/** Every trace as MLflow's dicts, with its spans; experiment ids left out (an export renumbers). */
async function traces(store: Store) {
	const q = store.queries;
	const source = localSource(() => store, new MemoryPersistence());
	const out: Record<string, unknown> = {};
	for (const id of q.searchTraceIds({ experimentIds: q.experiments('all').map((e) => e.experiment_id) })) {
		const { trace_location: _, ...info } = q.traceInfo(id)!;
		const spans: unknown[] = [];
		for (const c of q.spanChunkNumbers(id)) spans.push(...JSON.parse((await source.spanChunk(id, c))!));
		out[id] = { info, spans, row: { ...q.traceRows([id])[0], experiment_id: undefined } };
	}
	return out;
}

/** A fixture imported into a store, and that store exported in `format`. */
async function exported(fixture: string, format: 'mlruns' | 'mlflow-db') {
	const store = Store.open(await sqlJs());
	await importInto(store, GENAI + fixture);
	const bytes = exportFile(await sqlJs(), store, { experimentIds: store.queries.experiments('all').map((e) => e.experiment_id) }, format);
	return { store, bytes };
}

describe.each(fixtures)('%s', (fixture) => {
	it('round-trips its traces through an mlruns export', async () => {
		const { store, bytes } = await exported(fixture, 'mlruns');
		const again = Store.open(await sqlJs());
		const report = await importTree(await sqlJs(), again, treeFromMap('export', new Map(Object.entries(unzipSync(bytes)))), { now: 0 });
		expect(report.skipped).toEqual([]);
		expect(await traces(again)).toEqual(await traces(store));
	});

	it('keeps trace info, tags and metadata through an mlflow.db export', async () => {
		const { store, bytes } = await exported(fixture, 'mlflow-db');
		const again = Store.open(await sqlJs());
		await importTree(await sqlJs(), again, treeFromMap('export', new Map([['mlflow.db', bytes]])), { now: 0 });
		const strip = (t: Record<string, unknown>) => {
			const { info, row } = t as { info: Record<string, unknown>; row: Record<string, unknown> };
			const { assessments: _, request_preview: __, response_preview: ___, ...rest } = info;
			// Name and session may come from spans, which this schema does not hold.
			return { ...rest, run_id: row.run_id };
		};
		const [a, b] = [await traces(again), await traces(store)];
		expect(Object.keys(a).sort()).toEqual(Object.keys(b).sort());
		for (const id of Object.keys(b)) expect(strip(a[id] as Record<string, unknown>)).toEqual(strip(b[id] as Record<string, unknown>));
	});
});
