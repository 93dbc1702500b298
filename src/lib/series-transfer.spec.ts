import { describe, expect, it } from 'vitest';
import * as Comlink from 'comlink';
import { SeriesRecord, pack, unpack } from './series-transfer';
import type { Series } from './db/series-codec';

const series = (n: number, k: number): Series => ({
	steps: Float64Array.from({ length: n }, (_, i) => i * k),
	timestamps: Float64Array.from({ length: n }, (_, i) => 1e12 + i),
	values: Float64Array.from({ length: n }, (_, i) => (i % 7 === 3 ? NaN : Math.sin(i * k)))
});

describe('series across the worker boundary', () => {
	it('packs and unpacks every point of every series, empty ones included, keys in order', () => {
		const record = { b: series(3, 1), a: series(0, 2), 'run/with\u0000odd key': series(1000, 3) };
		const back = unpack(pack(record));
		expect(Object.keys(back)).toEqual(Object.keys(record));
		for (const k of Object.keys(record) as (keyof typeof record)[]) {
			expect(Array.from(back[k].steps)).toEqual(Array.from(record[k].steps));
			expect(Array.from(back[k].timestamps)).toEqual(Array.from(record[k].timestamps));
			expect(Array.from(back[k].values)).toEqual(Array.from(record[k].values));
		}
	});

	it('crosses a real MessageChannel through Comlink as three buffers, arriving whole', async () => {
		const { port1, port2 } = new MessageChannel();
		const record: Record<string, Series> = {};
		for (let r = 0; r < 2000; r++) record[`run${r}`] = series(10, r);
		Comlink.expose({ get: () => new SeriesRecord(record) }, port1);
		const api = Comlink.wrap<{ get(): Record<string, Series> }>(port2);
		const got = await api.get();
		expect(Object.keys(got)).toHaveLength(2000);
		expect(Array.from(got.run1999.values)).toEqual(Array.from(record.run1999.values));
		expect(got.run7.steps[9]).toBe(63);
		port1.close();
		port2.close();
	});
});
