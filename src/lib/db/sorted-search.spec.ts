import { describe, expect, it } from 'vitest';
import { sqlJs } from '../testing/fixtures';
import { Store } from './store';
import { SearchError } from '../search/parse';

/** Runs with a metric, a param and a start time that do not agree with each other on order. */
async function storeWithRuns(n: number) {
	const store = Store.open(await sqlJs());
	const { experimentId } = (await store.edit({ op: 'createExperiment', name: 'sweep' })) as { experimentId: string };
	const ids: string[] = [];
	for (let i = 0; i < n; i++) {
		const { runId } = (await store.edit({ op: 'createRun', experimentId, name: `run-${i}` }, 1000 + ((i * 7) % n))) as { runId: string };
		ids.push(runId);
		// Some runs tie on the metric, some have none: the order's tiebreaks are exercised.
		if (i % 5 !== 0) await store.edit({ op: 'logMetric', runId, key: 'acc', value: (i * 37) % 11, step: 0 });
		await store.edit({ op: 'setParam', runId, key: 'lr', value: String((i * 13) % 4) });
	}
	return { store, experimentId, ids };
}

/** The same search as one SQL query, without the cached order (a search with run ids skips it). */
function direct(store: Store, experimentId: string, ids: string[], filter: string, orderBy: string[]) {
	return store.queries.searchRunIds({ experimentIds: [experimentId], runIds: ids, filter, orderBy });
}

describe('sorted run search', () => {
	it('filters a kept order to exactly what sorting the filtered runs gives', async () => {
		const { store, experimentId, ids } = await storeWithRuns(40);
		for (const orderBy of [['metrics.acc DESC'], ['metrics.acc ASC', 'params.lr DESC'], ['attributes.start_time ASC']]) {
			for (const filter of ['', 'metrics.acc > 3', "params.lr = '1'", "metrics.acc >= 0 and params.lr != '2'"]) {
				const searched = store.queries.searchRunIds({ experimentIds: [experimentId], filter, orderBy });
				expect(searched).toEqual(direct(store, experimentId, ids, filter, orderBy));
				expect(searched.length).toBeGreaterThan(0);
			}
		}
	});

	it('sees every write: a new value reorders the next search', async () => {
		const { store, experimentId, ids } = await storeWithRuns(12);
		const search = () =>
			store.queries.searchRunIds({ experimentIds: [experimentId], filter: 'metrics.acc >= 0', orderBy: ['metrics.acc DESC'] });
		const before = search();
		const last = before[before.length - 1];
		await store.edit({ op: 'logMetric', runId: last, key: 'acc', value: 99, step: 1 });
		const after = search();
		expect(after[0]).toBe(last);
		expect(after).toEqual(direct(store, experimentId, ids, 'metrics.acc >= 0', ['metrics.acc DESC']));
		// A copy each time: changing a result does not change the next one.
		after.reverse();
		expect(search()[0]).toBe(last);
	});

	it("still reports a bad filter under a sort, with MLflow's message", async () => {
		const { store, experimentId } = await storeWithRuns(3);
		expect(() =>
			store.queries.searchRunIds({ experimentIds: [experimentId], filter: 'metrics.acc >', orderBy: ['metrics.acc DESC'] })
		).toThrow(SearchError);
	});
});
