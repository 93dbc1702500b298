/** Removing a source takes what only it brought, and leaves everything else as it was. */
import { describe, expect, it } from 'vitest';
import { Store } from './store';
import { importInto, sqlJs, FIXTURES } from '../testing/fixtures';
import { contents } from '../testing/store-contents';

const A = 'gabrielneil__mlflow-project.zip';
const B = 'PatrickCmd__mlops-zoomcamp.zip';

async function storeOf(...fixtures: string[]): Promise<Store> {
	const store = Store.open(await sqlJs());
	for (const f of fixtures) await importInto(store, FIXTURES + f);
	return store;
}
const idOf = (store: Store, name: string) => store.queries.sources().find((s) => s.name === name)!.source_id;

describe('removeSource', () => {
	it('leaves exactly what the other source brought', async () => {
		const both = await storeOf(A, B);
		const result = await both.edit({ op: 'removeSource', sourceId: idOf(both, A) });
		expect(result.removed!.runs).toBeGreaterThan(0);
		expect(contents(both)).toEqual(contents(await storeOf(B)));
		expect(both.queries.sources().map((s) => s.name)).toEqual([B]);
		expect(both.queries.artifactKeys().length).toBe((await storeOf(B)).queries.artifactKeys().length);
	});

	it('keeps what two sources both brought until both are removed; keeps local recordings', async () => {
		const store = await storeOf(A);
		await importInto(store, FIXTURES + A); // the same data, a second source
		const [second, first] = store.queries.sources().map((s) => s.source_id);
		const full = contents(store);
		const experimentId = store.queries.experiments()[0].experiment_id;
		await store.edit({ op: 'removeSource', sourceId: first });
		expect(contents(store)).toEqual(full);
		// A run recorded here keeps its experiment when the last source goes.
		const { runId } = await store.edit({ op: 'createRun', experimentId, name: 'mine' });
		await store.edit({ op: 'removeSource', sourceId: second });
		const left = contents(store);
		expect(left.runs.map((r) => r.id)).toEqual([runId]);
		expect(left.experiments).toHaveLength(1);
		expect(left.models).toEqual([]);
		expect(store.queries.sources()).toEqual([]);
	});

	it('refuses an unknown source and changes nothing', async () => {
		const store = await storeOf(A);
		const before = contents(store);
		await expect(store.edit({ op: 'removeSource', sourceId: 999 })).rejects.toThrow('No imported source 999');
		expect(contents(store)).toEqual(before);
	});
});
