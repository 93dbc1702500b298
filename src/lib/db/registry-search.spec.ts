// Sections D and E of ../shared/docs/search-filter-vectors.md (registry searches), on a real store.
import { beforeAll, describe, expect, it } from 'vitest';
import { Store } from './store';
import { sqlJs } from '../testing/fixtures';
import type { ModelVersionRecord } from './entities';

let store: Store;
const P = 'test_for_search_';
const RUN1 = 'a'.repeat(32);
const RUN2 = 'b'.repeat(32);
const RUN3 = 'c'.repeat(32);

beforeAll(async () => {
	store = Store.open(await sqlJs());
	await store.write(async (w) => {
		const model = (name: string, t: number, tags: Record<string, string> = {}) =>
			w.registeredModel({ name, creationTime: t, lastUpdatedTime: t + 1, description: null, tags, aliases: {} });
		['RM1', 'RM2', 'RM3', 'RM4', 'RM4A', 'RM4ab'].forEach((n, i) => model(P + n, i * 10));
		model('rm1', 100, { t1: 'abc', t2: 'xyz' });
		model('rm2', 200, { t1: 'abcd', t2: 'xyz123', t3: 'XYZ' });
		const version = (version: number, source: string, runId: string, tags: Record<string, string> = {}): ModelVersionRecord => ({
			name: 'm',
			version,
			creationTime: version * 100,
			lastUpdatedTime: version * 100,
			description: null,
			userId: null,
			currentStage: 'None',
			source,
			runId,
			status: 'READY',
			statusMessage: null,
			runLink: null,
			storageLocation: null,
			modelId: null,
			tags
		});
		model('m', 0);
		w.modelVersion(version(1, 'A/B', RUN1, { t1: 'abc', t2: 'xyz' }));
		w.modelVersion(version(2, 'A/C', RUN2, { t1: 'abc', t2: 'x123' }));
		w.modelVersion(version(3, 'A/D', RUN2));
		w.modelVersion(version(4, 'A/D', RUN3));
	});
});

const models = (filter: string, orderBy?: string[]) => store.queries.registeredModels({ filter, orderBy }).map((m) => m.name);
const testModels = (filter: string) =>
	models(filter)
		.filter((n) => n.startsWith(P))
		.map((n) => n.slice(P.length));
const versions = (filter: string, orderBy?: string[]) => store.queries.modelVersions({ filter, orderBy }).map((v) => Number(v.version));

describe('registered model search (D)', () => {
	const cases: [number, string, string[]][] = [
		[154, `name='${P}RM1'`, ['RM1']],
		[154, `name='${P}RM1cats'`, []],
		[155, `name LIKE '${P}%'`, ['RM1', 'RM2', 'RM3', 'RM4', 'RM4A', 'RM4ab']],
		[155, "name LIKE '%RM%'", ['RM1', 'RM2', 'RM3', 'RM4', 'RM4A', 'RM4ab']],
		[155, "name LIKE '_e%'", ['RM1', 'RM2', 'RM3', 'RM4', 'RM4A', 'RM4ab']],
		[156, `name LIKE '${P}RM4A%'`, ['RM4A']],
		[156, `name like '${P}RM4A%'`, ['RM4A']],
		[157, "name lIkE '%blah%'", []],
		[158, `name ILIKE '${P}RM4A%'`, ['RM4A', 'RM4ab']],
		[158, "name ilike '%RM4a%'", ['RM4A', 'RM4ab']],
		[159, "name iLike '%%'", ['RM1', 'RM2', 'RM3', 'RM4', 'RM4A', 'RM4ab']]
	];
	it.each(cases)('#%i %s', (_n, filter, expected) => expect(testModels(filter)).toEqual(expected));

	const tagCases: [string, string[]][] = [
		["tag.t3 = 'XYZ'", ['rm2']],
		["name = 'rm1' and tag.t1 = 'abc'", ['rm1']],
		["tag.t1 LIKE 'ab%'", ['rm1', 'rm2']],
		["tag.t1 ILIKE 'aB%'", ['rm1', 'rm2']],
		["tag.t3 = 'XYz'", []],
		["tag.T3 = 'XYZ'", []],
		["tag.t1 != 'abc'", ['rm2']],
		["tag.t1 != 'abcd' and tag.t1 LIKE 'ab%'", ['rm1']]
	];
	it.each(tagCases)('#164 %s', (filter, expected) => expect(models(filter)).toEqual(expected));

	it.each([
		[160, 'name!=something', 'Parameter value is either not quoted or unidentified quote types used for string value something'],
		[161, "run_id='somerunID'", "Invalid attribute key 'run_id' specified."],
		[162, "source_path = 'A/D'", "Invalid attribute key 'source_path' specified."],
		[163, 'evilhax = true', 'Invalid clause(s) in filter string']
	])('#%i %s is refused', (_n, filter, message) => expect(() => models(filter)).toThrow(message));

	it('#165 order_by keys, directions and errors', () => {
		expect(models("name LIKE 'rm%'", ['name DESC'])).toEqual(['rm2', 'rm1']);
		expect(models("name LIKE 'rm%'", ['timestamp DESC'])).toEqual(['rm2', 'rm1']);
		expect(models("name LIKE 'rm%'", ['last_updated_timestamp ASC'])).toEqual(['rm1', 'rm2']);
		for (const bad of [
			'last_updated_timestamp DESC blah',
			'',
			'timestamp somerandomstuff ASC',
			'timestamp somerandomstuff',
			'timestamp decs',
			'timestamp ACS'
		]) {
			expect(() => models('', [bad])).toThrow('Invalid order_by clause');
		}
		expect(() => models('', ['name aCs'])).toThrow('Invalid ordering key');
		expect(() => models('', ['name ASC', 'description DESC'])).toThrow("Invalid attribute key 'description' specified.");
	});
});

describe('model version search (E)', () => {
	const cases: [number, string, number[]][] = [
		[166, "name='m'", [1, 2, 3, 4]],
		[167, 'version_number=2', [2]],
		[167, 'version_number<=3', [1, 2, 3]],
		[168, `run_id='${RUN1}'`, [1]],
		[168, `run_id='${RUN2}'`, [2, 3]],
		[169, `run_id IN ('${RUN1}','${RUN2}')`, [1, 2, 3]],
		[169, `run_id IN ('${RUN1}', '${RUN2}')`, [1, 2, 3]],
		[170, `run_id IN ('${RUN1.toUpperCase()}','${RUN2}')`, [2, 3]],
		[174, `run_id LIKE '${RUN2.slice(0, 30)}%'`, [2, 3]],
		[174, `run_id ILIKE '${RUN2.slice(0, 30).toUpperCase()}%'`, [2, 3]],
		[175, "source_path = 'A/D'", [3, 4]],
		[175, "source_path = 'A'", []],
		[175, "source_path = 'A/'", []],
		[175, "source_path = ''", []],
		[176, "name = 'm' and tag.t2 = 'xyz'", [1]],
		[176, "tag.`t2` = 'xyz'", [1]],
		[176, "tag.t3 = 'xyz'", []],
		[176, "tag.t2 != 'xy'", [1, 2]],
		[176, "tag.t2 LIKE 'xy%'", [1]],
		[176, "tag.t2 LIKE 'xY%'", []],
		[176, "tag.t2 ILIKE 'xY%'", [1]],
		[176, "tag.T2 = 'xyz'", []],
		[176, "tag.t2 like 'x%' and tag.t2 != 'xyz'", [2]]
	];
	it.each(cases)('#%i %s', (_n, filter, expected) => expect(versions(filter).sort()).toEqual(expected));

	it.each([
		[171, 'run_id IN (1,2,3)', 'expected string value, punctuation, or whitespace, but got different type in list'],
		[172, 'run_id IN (,)', 'expected a non-empty list of string values, but got ill-formed list'],
		[172, "run_id IN ('runid1',,'runid2')", 'expected a non-empty list of string values, but got ill-formed list'],
		[173, 'name LIKE', 'Invalid clause(s) in filter string']
	])('#%i %s is refused', (_n, filter, message) => expect(() => versions(filter)).toThrow(message));

	it('#177 orders, and refuses keys it cannot order by', () => {
		expect(versions('', ['version_number ASC'])).toEqual([1, 2, 3, 4]);
		expect(versions('')).toEqual([4, 3, 2, 1]); // last updated first
		expect(() => versions('', ['name ASC', 'run_id DESC'])).toThrow("Invalid attribute key 'run_id' specified");
	});
});
