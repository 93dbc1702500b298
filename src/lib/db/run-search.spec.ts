// Evaluation cases of ../shared/docs/search-filter-vectors.md (A8, A9, B1) against a real store.
import { beforeAll, describe, expect, it } from 'vitest';
import type { RunRecord } from './entities';
import { Store } from './store';
import { sqlJs } from '../testing/fixtures';
import { likeToGlob } from './filter-sql';

const point = (v: number) => ({ steps: new Float64Array([0]), timestamps: new Float64Array([0]), values: new Float64Array([v]) });

function run(id: string, o: Partial<RunRecord> & { metric?: number }): RunRecord {
	return {
		runUuid: id,
		experimentId: '1',
		name: null,
		sourceType: null,
		sourceName: null,
		entryPointName: null,
		userId: null,
		status: 'FINISHED',
		startTime: 0,
		endTime: null,
		deletedTime: null,
		sourceVersion: null,
		lifecycleStage: 'active',
		artifactUri: null,
		params: {},
		tags: {},
		metrics: o.metric === undefined ? new Map() : new Map([['key1', point(o.metric)]]),
		...o
	};
}

let store: Store;
// The fixture of test_correct_filtering / test_correct_sorting: run ids "9", "8", "7" are runs 0, 1, 2.
const ids = ['9', '8', '7'];
beforeAll(async () => {
	store = Store.open(await sqlJs());
	await store.write(async (w) => {
		w.experiment(
			{ experimentId: '1', name: 'e', artifactLocation: null, lifecycleStage: 'active', creationTime: 0, lastUpdateTime: 0, tags: {} },
			''
		);
		w.run(
			run('9', {
				status: 'FAILED',
				startTime: 0,
				endTime: 5,
				metric: 121,
				params: { my_param: 'A' },
				userId: 'user-id0',
				name: 'run_name0'
			})
		);
		w.run(
			run('8', {
				status: 'FINISHED',
				startTime: 1,
				endTime: 6,
				metric: 123,
				params: { my_param: 'A' },
				tags: { tag1: 'C', env: 'x' },
				userId: 'user-id1',
				name: 'run_name1'
			})
		);
		w.run(
			run('7', {
				status: 'FAILED',
				startTime: 1,
				metric: 125,
				params: { my_param: 'B', lr: '0.1' },
				tags: { tag1: 'D' },
				userId: 'user-id2',
				name: 'run_name2'
			})
		);
		w.dataset({
			datasetUuid: 'd1',
			experimentId: '1',
			name: 'name1',
			digest: 'digest1',
			sourceType: null,
			source: null,
			schema: null,
			profile: null
		});
		w.dataset({
			datasetUuid: 'd2',
			experimentId: '1',
			name: 'name2',
			digest: 'digest2',
			sourceType: null,
			source: null,
			schema: null,
			profile: null
		});
		const input = (uuid: string, dataset: string, runId: string, tags = {}) =>
			w.input({ inputUuid: uuid, sourceType: 'DATASET', sourceId: dataset, destinationType: 'RUN', destinationId: runId, step: 0, tags });
		input('i0', 'd1', '9', { 'mlflow.data.context': 'train' });
		input('i1', 'd1', '8');
		input('i2', 'd2', '7');
	});
});

const search = (filter: string, orderBy?: string[]) =>
	store.queries.searchRunIds({ experimentIds: ['1'], filter, orderBy }).map((id) => ids.indexOf(id));
const sorted = (filter: string) => search(filter).sort();

describe('run filter evaluation (A8, A9)', () => {
	const cases: [number, string, number[]][] = [
		[88, '', [0, 1, 2]],
		[89, "attributes.status = 'FAILED'", [0, 2]],
		[90, 'metrics.key1 = 123', [1]],
		[91, 'metrics.key1 != 123', [0, 2]],
		[92, 'metrics.key1 >= 123', [1, 2]],
		[93, "params.my_param = 'A'", [0, 1]],
		[94, "tags.tag1 = 'D'", [2]],
		[95, "tags.tag1 != 'D'", [1]],
		[96, "params.my_param = 'A' AND attributes.status = 'FAILED'", [0]],
		[97, "datasets.name = 'name1'", [0, 1]],
		[98, "datasets.name IN ('name1', 'name2')", [0, 1, 2]],
		[99, "datasets.digest IN ('digest1', 'digest2')", [0, 1, 2]],
		[100, "datasets.name = 'name1' AND datasets.digest = 'digest2'", []],
		[101, "datasets.context = 'train'", [0]],
		[102, "datasets.name = 'name1' AND datasets.context = 'train'", [0]],
		[0, 'attribute.start_time >= 0', [0, 1, 2]],
		[0, 'attribute.start_time > 0', [1, 2]],
		[0, 'attribute.end_time = 6', [1]],
		[0, "attribute.user_id = 'user-id2'", [2]],
		[0, 'tags.env IS NOT NULL', [1]],
		[0, 'tags.env IS NULL', [0, 2]],
		[0, 'params.lr IS NOT NULL', [2]],
		[0, 'params.lr IS NULL', [0, 1]],
		[103, "attributes.run_name = 'run_name1'", [1]],
		[104, "attributes.`Run name` = 'run_name1'", [1]],
		[106, "attributes.run_id = '8'", [1]],
		[106, "attributes.run_id != '8'", [0, 2]],
		[107, "attributes.run_id IN ('8',  '7')", [1, 2]],
		[108, "attributes.run_id NOT IN ('8', '7')", [0]],
		[109, "run_name = 'run_name1' AND run_id IN ('8')", [1]],
		[110, 'attributes.created > 0', [1, 2]],
		[112, "datasets.name LIKE 'Name%'", []],
		[112, "datasets.name ILIKE 'Name%'", [0, 1, 2]],
		[113, "datasets.context ILIKE 'TR%'", [0]],
		[0, "params.my_param LIKE 'a'", []],
		[0, "params.my_param ILIKE 'a'", [0, 1]],
		[0, "attributes.run_name LIKE 'run\\_name_'", []],
		[0, "attributes.run_name LIKE 'run_name_'", [0, 1, 2]]
	];
	it.each(cases)('#%i %s', (_n, filter, expected) => {
		expect(sorted(filter)).toEqual(expected);
	});
});

describe('run order_by evaluation (B1)', () => {
	const cases: [number, string[], number[]][] = [
		[116, [], [2, 1, 0]],
		[117, ['tags.noSuchTag'], [2, 1, 0]],
		[118, ['attributes.status'], [2, 0, 1]],
		[119, ['attributes.start_time'], [0, 2, 1]],
		[120, ['metrics.key1 asc'], [0, 1, 2]],
		[121, ['metrics."key1"  desc'], [2, 1, 0]],
		[122, ['params.my_param'], [1, 0, 2]],
		[123, ['params.my_param aSc', 'attributes.status  ASC'], [0, 1, 2]],
		[124, ['params.my_param', 'attributes.status DESC'], [1, 0, 2]],
		[125, ['params.my_param DESC', 'attributes.status   DESC'], [2, 1, 0]],
		[126, ['params.`my_param` DESC', 'attributes.status DESC'], [2, 1, 0]],
		[127, ['tags.tag1'], [1, 2, 0]],
		[128, ['tags.tag1    DESC'], [2, 1, 0]],
		[111, ['attributes.created ASC'], [0, 2, 1]]
	];
	it.each(cases)('#%i %j', (_n, orderBy, expected) => {
		expect(search('', orderBy)).toEqual(expected);
	});

	it('puts NaN and then missing values last, both ways (test_order_by_metric_with_nans_infs_nones)', async () => {
		const s = Store.open(await sqlJs());
		const values: Record<string, number | undefined> = { a: -Infinity, b: -1000, c: 0, d: 1000, e: Infinity, f: NaN, g: undefined };
		await s.write(async (w) => {
			w.experiment(
				{ experimentId: '1', name: 'e', artifactLocation: null, lifecycleStage: 'active', creationTime: 0, lastUpdateTime: 0, tags: {} },
				''
			);
			for (const [id, v] of Object.entries(values))
				w.run({ ...run(id, {}), metrics: v === undefined ? new Map() : new Map([['x', point(v)]]) });
		});
		expect(s.queries.searchRunIds({ orderBy: ['metrics.x asc'] })).toEqual(['a', 'b', 'c', 'd', 'e', 'f', 'g']);
		expect(s.queries.searchRunIds({ orderBy: ['metrics.x desc'] })).toEqual(['e', 'd', 'c', 'b', 'a', 'f', 'g']);
	});
});

describe('likeToGlob', () => {
	it.each([
		['jamie-foo C+W bar', 'jamie-foo C+W bar'],
		['jamie-foo C+%', 'jamie-foo C+*'],
		['a_b*c?[d]', 'a?b[*]c[?][[]d]']
	])('%s → %s', (like, glob) => expect(likeToGlob(like)).toBe(glob));
});
