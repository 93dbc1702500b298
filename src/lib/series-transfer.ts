/**
 * Metric series cross the worker boundary packed: every series' steps, timestamps and values in
 * three buffers with offsets, transferred without a copy, and viewed per series on the other side.
 * Sent one buffer per array, a comparison of 20,000 runs transferred 60,000 buffers, which took
 * Chromium ~1.3 s; packed it is three. Imported by the worker and by the page (each registers it
 * in its own Comlink), as errors-transfer.ts.
 */
import * as Comlink from 'comlink';
import type { Series } from './db/series-codec';

/** Series by key (a run's metric, or a run id): what the worker returns, marked for this handler. */
export class SeriesRecord {
	constructor(readonly series: Record<string, Series>) {}
}

interface Packed {
	keys: string[];
	offsets: Uint32Array;
	steps: Float64Array;
	timestamps: Float64Array;
	values: Float64Array;
}

export function pack(record: Record<string, Series>): Packed {
	const keys = Object.keys(record);
	const offsets = new Uint32Array(keys.length + 1);
	for (let i = 0; i < keys.length; i++) offsets[i + 1] = offsets[i] + record[keys[i]].values.length;
	const total = offsets[keys.length];
	const steps = new Float64Array(total);
	const timestamps = new Float64Array(total);
	const values = new Float64Array(total);
	for (let i = 0; i < keys.length; i++) {
		const s = record[keys[i]];
		steps.set(s.steps, offsets[i]);
		timestamps.set(s.timestamps, offsets[i]);
		values.set(s.values, offsets[i]);
	}
	return { keys, offsets, steps, timestamps, values };
}

export function unpack(p: Packed): Record<string, Series> {
	const out: Record<string, Series> = {};
	for (let i = 0; i < p.keys.length; i++) {
		const from = p.offsets[i];
		const to = p.offsets[i + 1];
		out[p.keys[i]] = {
			steps: p.steps.subarray(from, to),
			timestamps: p.timestamps.subarray(from, to),
			values: p.values.subarray(from, to)
		};
	}
	return out;
}

Comlink.transferHandlers.set('series', {
	canHandle: (v: unknown): v is SeriesRecord => v instanceof SeriesRecord,
	serialize(v: SeriesRecord) {
		const p = pack(v.series);
		return [p, [p.offsets.buffer, p.steps.buffer, p.timestamps.buffer, p.values.buffer] as Transferable[]];
	},
	deserialize: (p: Packed) => unpack(p)
});
