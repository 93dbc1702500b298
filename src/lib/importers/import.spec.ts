/** Bad input gets a clear error and changes nothing; re-imports and cancels leave no trace. */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { strToU8, zipSync } from 'fflate';
import { Store } from '../db/store';
import { memoryReader } from '../sources/tree';
import { importTree, openFile } from '.';
import { ImportCancelled } from './context';
import { FIXTURES, importInto, sqlJs } from '../testing/fixtures';

async function storeWithData(): Promise<Store> {
	const store = Store.open(await sqlJs());
	await importInto(store, FIXTURES + 'gabrielneil__mlflow-project.zip');
	return store;
}

async function importBytes(store: Store, name: string, bytes: Uint8Array, cancel?: { cancelled: boolean }) {
	return importTree(await sqlJs(), store, await openFile(name, memoryReader(bytes)), { cancel });
}

const packt = () => new Uint8Array(readFileSync(FIXTURES + 'PacktPublishing__Hyperparameter-Tuning-with-Python.zip'));

/** Overwrites the compressed bytes of the first deflated run meta.yaml (a file the import must read). */
function corruptFirstDeflatedEntry(zip: Uint8Array): Uint8Array {
	const out = zip.slice();
	const view = new DataView(out.buffer);
	for (let p = 0; p < out.length - 30;) {
		if (view.getUint32(p, true) !== 0x04034b50) break;
		const method = view.getUint16(p + 8, true);
		const size = view.getUint32(p + 18, true);
		const start = p + 30 + view.getUint16(p + 26, true) + view.getUint16(p + 28, true);
		const name = new TextDecoder().decode(out.subarray(p + 30, p + 30 + view.getUint16(p + 26, true)));
		if (method === 8 && size > 8 && /[0-9a-f]{32}\/meta\.yaml$/.test(name)) {
			out.fill(0xff, start, start + size);
			return out;
		}
		p = start + size;
	}
	throw new Error('no deflated entry');
}

const badInputs: [string, string, () => Promise<Uint8Array> | Uint8Array, RegExp][] = [
	['not a zip', 'notes.txt', () => strToU8('hello, I am not an archive'), /is not a zip archive, an SQLite database or a JSON file/],
	['an empty file', 'empty.zip', () => new Uint8Array(0), /is empty/],
	['a truncated zip', 'cut.zip', () => packt().subarray(0, 6000), /not a readable zip archive.*truncated or corrupt/],
	['a corrupt entry', 'bad.zip', () => corruptFirstDeflatedEntry(packt()), /corrupt or truncated/],
	[
		'a zip with no MLflow data',
		'photos.zip',
		() => zipSync({ 'a/readme.md': strToU8('# hi'), 'b.png': new Uint8Array(10) }),
		/No MLflow data found in photos.zip/
	],
	[
		'a zip whose only experiment has malformed YAML',
		'broken.zip',
		() =>
			zipSync({
				'mlruns/1/meta.yaml': strToU8('name: [oops\n'),
				'mlruns/1/0123456789abcdef0123456789abcdef/meta.yaml': strToU8('run_id: x\n')
			}),
		/Nothing could be imported from broken.zip[\s\S]*malformed YAML/
	],
	[
		'an SQLite file that is not MLflow',
		'other.db',
		async () => {
			const db = new (await sqlJs()).Database();
			db.run('CREATE TABLE t (x); INSERT INTO t VALUES (1)');
			return db.export();
		},
		/SQLite database but not an MLflow tracking store/
	]
];

describe('bad input', () => {
	it.each(badInputs)('%s gets a clear error and changes nothing', async (_, name, make, message) => {
		const store = await storeWithData();
		const before = store.queries.counts();
		const sourcesBefore = store.queries.sources().length;
		await expect(importBytes(store, name, await make())).rejects.toThrow(message);
		expect(store.queries.counts()).toEqual(before);
		expect(store.queries.sources()).toHaveLength(sourcesBefore);
		store.close();
	});
});

describe('import transaction', () => {
	it('re-importing the same data duplicates nothing', async () => {
		const store = Store.open(await sqlJs());
		await importBytes(store, 'packt.zip', packt());
		const first = store.queries.counts();
		const history = store.queries.metricHistory('a3112407148b4966b929bc9f8784a3d3', 'foo')!;
		await importBytes(store, 'packt.zip', packt());
		expect(store.queries.counts()).toEqual(first);
		expect(store.queries.metricHistory('a3112407148b4966b929bc9f8784a3d3', 'foo')!.values).toEqual(history.values);
		expect(store.queries.sources()).toHaveLength(2);
	});

	it('a cancelled import changes nothing', async () => {
		const store = await storeWithData();
		const before = store.queries.counts();
		const cancel = { cancelled: false };
		const p = importBytes(store, 'packt.zip', packt(), cancel);
		cancel.cancelled = true;
		await expect(p).rejects.toBeInstanceOf(ImportCancelled);
		expect(store.queries.counts()).toEqual(before);
	});

	it('experiments of two stores sharing an id but not a name stay apart', async () => {
		const store = Store.open(await sqlJs());
		const meta = (name: string) => strToU8(`experiment_id: '1'\nname: ${name}\nlifecycle_stage: active\n`);
		await importBytes(store, 'a.zip', zipSync({ 'mlruns/1/meta.yaml': meta('first') }));
		await importBytes(store, 'b.zip', zipSync({ 'mlruns/1/meta.yaml': meta('second') }));
		await importBytes(store, 'b.zip', zipSync({ 'mlruns/1/meta.yaml': meta('second') }));
		expect(
			store.queries
				.experiments()
				.map((e) => [e.experiment_id, e.name])
				.sort()
		).toEqual([
			['1', 'first'],
			['1-2', 'second']
		]);
		// Metas without times stay without times on re-import (not 0, which would show as 1970).
		expect(store.queries.experiments().every((e) => e.last_update_time === undefined)).toBe(true);
	});
});
