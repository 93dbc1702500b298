// Section C of ../shared/docs/search-filter-vectors.md (search_experiments), against a real store.
import { beforeAll, describe, expect, it } from 'vitest';
import { Store } from './store';
import { sqlJs } from '../testing/fixtures';

let store: Store;
beforeAll(async () => {
	store = Store.open(await sqlJs());
	await store.write(async (w) => {
		const e = (experimentId: string, name: string, created: number, tags: Record<string, string>) =>
			w.experiment(
				{ experimentId, name, artifactLocation: null, lifecycleStage: 'active', creationTime: created, lastUpdateTime: created + 10, tags },
				''
			);
		e('0', 'Default', 1, {});
		e('1', 'exp1', 100, { key1: 'value', key2: 'value', a: '1' });
		e('2', 'exp2', 200, { key1: 'vaLue', key2: 'vaLue' });
		e('3', 'exp3', 300, { 'k e y 1': 'value' });
		e('4', 'jamie-foo C+W bar', 400, {});
	});
});

const names = (filter: string, orderBy?: string[]) => store.queries.experiments('active', { filter, orderBy }).map((e) => e.name);
const set = (filter: string) => names(filter).sort();

describe('experiment filter (C)', () => {
	const cases: [number, string, string[]][] = [
		[141, "tag.key1 = 'value'", ['exp1']],
		[142, "tag.`k e y 1` = 'value'", ['exp3']],
		[142, `tag."k e y 1" = 'value'`, ['exp3']],
		[143, "tag.key1 != 'value'", ['exp2']],
		[144, "tag.key1 != 'VALUE'", ['exp1', 'exp2']],
		[145, "tag.key1 LIKE 'val%'", ['exp1']],
		[145, "tag.key1 LIKE '%Lue'", ['exp2']],
		[146, "tag.key1 ILIKE '%alu%'", ['exp1', 'exp2']],
		[147, "tag.key1 LIKE 'va%' AND tag.key2 LIKE '%Lue'", ['exp2']],
		[148, "tag.KEY = 'value'", []],
		[149, 'tag.key1 IS NOT NULL', ['exp1', 'exp2']],
		[149, 'tag.key2 IS NULL', ['Default', 'exp3', 'jamie-foo C+W bar']],
		[151, "name ILIKE 'exp%' AND tags.a = '1'", ['exp1']],
		[152, 'creation_time >= 200', ['exp2', 'exp3', 'jamie-foo C+W bar']],
		[152, 'last_update_time = 110', ['exp1']],
		[153, `name LIKE "jamie-foo C+W bar"`, ['jamie-foo C+W bar']],
		[153, `name LIKE "jamie-foo C+%"`, ['jamie-foo C+W bar']]
	];
	it.each(cases)('#%i %s', (_n, filter, expected) => expect(set(filter)).toEqual(expected));

	it('#150 name IS NULL is refused', () => {
		expect(() => names('name IS NULL')).toThrow('IS NULL / IS NOT NULL is only supported for tags');
	});

	it('orders by name, times and id, with MLflow’s tiebreak', () => {
		expect(names('', ['name DESC'])).toEqual(['jamie-foo C+W bar', 'exp3', 'exp2', 'exp1', 'Default']);
		expect(names('', ['creation_time ASC'])).toEqual(['Default', 'exp1', 'exp2', 'exp3', 'jamie-foo C+W bar']);
		expect(names("name LIKE 'exp%'", ['experiment_id ASC'])).toEqual(['exp1', 'exp2', 'exp3']);
		expect(() => names('', ['tags.key1'])).toThrow('Invalid order_by clause');
	});
});
