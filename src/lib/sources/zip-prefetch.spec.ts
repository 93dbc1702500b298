import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FIXTURES } from '../testing/fixtures';
import { memoryReader } from './tree';
import { openZip } from './zip';
import { readEntry } from './zip-entry';
import type { InflateChannel, InflateJob, InflateResult } from './zip-prefetch';

/** The helper worker's work done in-process, answered asynchronously as a worker would. */
function inProcessChannel(bytes: Uint8Array, opts: { fail?: boolean } = {}) {
	const stats = { batches: 0, jobs: 0, closed: false };
	let handler: (r: InflateResult[]) => void = () => {};
	const channel: InflateChannel = {
		send(jobs: InflateJob[]) {
			stats.batches++;
			stats.jobs += jobs.length;
			setTimeout(async () => {
				const results: InflateResult[] = [];
				for (const job of jobs) results.push([job.pos, opts.fail ? null : await readEntry('', memoryReader(bytes), job)]);
				handler(results);
			}, 1);
		},
		onResults: (h) => (handler = h),
		close: () => (stats.closed = true)
	};
	return { channel, stats };
}

const ARCHIVE = 'PatrickCmd__mlops-zoomcamp.zip';

async function contents(tree: Awaited<ReturnType<typeof openZip>>, order: number[]) {
	const out: Record<string, string> = {};
	for (const i of order) {
		const f = tree.files[i];
		out[f.path] = Buffer.from(await f.bytes()).toString('base64');
	}
	return out;
}

describe('zip prefetch', () => {
	const bytes = new Uint8Array(readFileSync(FIXTURES + ARCHIVE));

	it('gives every entry the same bytes as reading on the calling thread, in archive order', async () => {
		const plain = await openZip(ARCHIVE, memoryReader(bytes));
		const order = plain.files.map((_, i) => i).sort((a, b) => plain.files[a].order - plain.files[b].order);
		const { channel, stats } = inProcessChannel(bytes);
		const prefetched = await openZip(ARCHIVE, memoryReader(bytes), channel);
		expect(await contents(prefetched, order)).toEqual(await contents(plain, order));
		expect(stats.jobs).toBeGreaterThan(plain.files.length / 2); // the helper did the work
		await prefetched.close?.();
		expect(stats.closed).toBe(true);
	});

	it('stays correct when files are read backwards or the helper fails', async () => {
		const plain = await openZip(ARCHIVE, memoryReader(bytes));
		const backwards = plain.files.map((_, i) => i).sort((a, b) => plain.files[b].order - plain.files[a].order);
		const expected = await contents(plain, backwards);
		const out = await openZip(ARCHIVE, memoryReader(bytes), inProcessChannel(bytes).channel);
		expect(await contents(out, backwards)).toEqual(expected);
		const failing = await openZip(ARCHIVE, memoryReader(bytes), inProcessChannel(bytes, { fail: true }).channel);
		expect(await contents(failing, backwards.reverse())).toEqual(expected);
	});
});
