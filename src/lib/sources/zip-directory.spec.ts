import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ZipReader } from '@zip.js/zip.js/lib/zip-core-reader.js';
import { zipSync, strToU8 } from 'fflate';
import { FIXTURES } from '../testing/fixtures';
import { withZip64End } from '../testing/zip64';
import { memoryReader } from './tree';
import { readPlainDirectory } from './zip-directory';
import { entryInfo, openZip } from './zip';

async function zipJsEntries(bytes: Uint8Array) {
	const reader = new ZipReader({ size: bytes.length, readUint8Array: async (i: number, n: number) => bytes.subarray(i, i + n) } as never);
	return (await reader.getEntries()).map(entryInfo);
}

describe('readPlainDirectory', () => {
	const zips = readdirSync(FIXTURES).filter((f) => f.endsWith('.zip'));
	it.each(zips)('reads %s exactly as zip.js does', async (name) => {
		const bytes = new Uint8Array(readFileSync(FIXTURES + name));
		const lean = await readPlainDirectory(memoryReader(bytes));
		expect(lean).toBeDefined();
		expect(lean).toEqual(await zipJsEntries(bytes));
	});

	it('leaves archives with data before the first entry to zip.js, which still opens them', async () => {
		const zip = zipSync({ 'mlruns/0/meta.yaml': strToU8('name: Default\n') });
		const stub = new Uint8Array(100).fill(7);
		const prefixed = new Uint8Array(stub.length + zip.length);
		prefixed.set(stub);
		prefixed.set(zip, stub.length);
		expect(await readPlainDirectory(memoryReader(prefixed))).toBeUndefined();
		const tree = await openZip('self-extracting.zip', memoryReader(prefixed));
		expect(tree.files.map((f) => f.path)).toEqual(['mlruns/0/meta.yaml']);
		expect(new TextDecoder().decode(await tree.files[0].bytes())).toBe('name: Default\n');
	});

	it('refuses a directory whose entries do not add up', async () => {
		const zip = zipSync({ a: strToU8('x'), b: strToU8('y') });
		const broken = zip.slice();
		const view = new DataView(broken.buffer);
		const end = broken.length - 22;
		view.setUint16(end + 10, 3, true); // claims three entries
		expect(await readPlainDirectory(memoryReader(broken))).toBeUndefined();
	});

	it('reads past a wrapped 16-bit entry count (over 65,535 files without zip64, as fflate writes)', async () => {
		const files: Record<string, Uint8Array> = {};
		for (let i = 0; i < 65_540; i++) files[`f/${i}`] = new Uint8Array([i & 0xff]);
		const bytes = zipSync(files, { level: 0 });
		const entries = await readPlainDirectory(memoryReader(bytes));
		expect(entries).toHaveLength(65_540);
		expect(entries![65_539].filename).toBe('f/65539');
		const zip64 = withZip64End(bytes, 65_540);
		expect(await readPlainDirectory(memoryReader(zip64))).toEqual(entries);
		expect(await zipJsEntries(zip64)).toEqual(entries);
	});

	it('is undefined for bytes that are not a zip', async () => {
		expect(await readPlainDirectory(memoryReader(new Uint8Array(10)))).toBeUndefined();
	});
});

describe('readEntry limits', () => {
	it('refuses an entry that claims to inflate past 1 GB, without inflating it', async () => {
		const { readEntry } = await import('./zip-entry');
		const zip = zipSync({ 'a/model.bin': strToU8('x'.repeat(1000)) });
		const [entry] = (await readPlainDirectory(memoryReader(zip)))!;
		await expect(readEntry('bomb.zip', memoryReader(zip), { ...entry, uncompressedSize: 0xfffffff0 })).rejects.toThrow(
			/bomb\.zip: entry a\/model\.bin would inflate to 4,294,967,280 bytes, more than the 1024 MB one file may hold in a tab; refused/
		);
	});
});
