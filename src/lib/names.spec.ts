import { describe, expect, it } from 'vitest';
import { unsafeName } from './names';

describe('unsafeName (MLflow path_not_unique, plus NUL and backslash)', () => {
	it.each([
		['loss', undefined],
		['train/loss', undefined],
		['metrics.val acc', undefined],
		['a..b', undefined],
		['..', 'it points outside its folder'],
		['../x', 'it points outside its folder'],
		['a/../../x', 'it points outside its folder'],
		['/etc/passwd', 'it points outside its folder'],
		['.', 'it points outside its folder'],
		['a/./b', 'it is not a plain path (it reads as "a/b")'],
		['a//b', 'it is not a plain path (it reads as "a/b")'],
		['a/', 'it is not a plain path (it reads as "a")'],
		['a\u0000b', 'it contains a NUL character'],
		['..\\..\\x', 'it contains a backslash, which some systems read as a folder separator']
	])('%j', (name, why) => expect(unsafeName(name)).toBe(why));
});

describe('exports never write an unsafe name', () => {
	it('leaves out a key that climbs out of its folder, even if the store holds one', async () => {
		const { sqlJs } = await import('./testing/fixtures');
		const { Store } = await import('./db/store');
		const { importTree } = await import('./importers');
		const { treeFromMap } = await import('./sources/tree');
		const { fileStore } = await import('./testing/mlflow-stores');
		const { mlrunsFiles } = await import('./export/mlruns');
		const { collect } = await import('./export/collect');
		const SQL = await sqlJs();
		const store = Store.open(SQL);
		const run = 'abcdef0123456789abcdef0123456789';
		await importTree(SQL, store, treeFromMap('x.zip', fileStore([{ id: '1', name: 'e', runs: [{ id: run, params: { lr: '0.1' } }] }])));
		// Written past the import's checks, as an older Trackside could have stored it.
		store.db.run('INSERT INTO params (run_uuid, key, value) VALUES (?, ?, ?)', [run, '../../../../evil', 'x']);
		const files = mlrunsFiles(collect(store, { experimentIds: ['1'] }));
		expect([...files.keys()].some((p) => p.includes('params/lr'))).toBe(true);
		expect([...files.keys()].filter((p) => p.includes('..') || unsafeName(p))).toEqual([]);
	});
});
