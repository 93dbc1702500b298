/**
 * Helper worker of the store worker: inflates batches of zip entries read straight from the
 * dropped File, so that inflating overlaps parsing and inserting (see lib/sources/zip-prefetch.ts).
 * It never touches the store; a failed entry is answered with null and read again by the caller,
 * which then reports the error.
 */
import { MAX_LOCAL_HEADER, readEntry } from '../lib/sources/zip-entry';
import type { ByteReader } from '../lib/sources/tree';
import type { InflateJob, InflateResult } from '../lib/sources/zip-prefetch';

let file: Blob;
let queue = Promise.resolve();

self.onmessage = (event: MessageEvent<{ file?: Blob; jobs: InflateJob[] }>) => {
	if (event.data.file) file = event.data.file;
	const jobs = event.data.jobs;
	queue = queue.then(() => inflateBatch(jobs));
};

async function inflateBatch(jobs: InflateJob[]): Promise<void> {
	// One read for the whole batch: its entries are consecutive in the archive.
	const start = jobs[0].offset;
	const last = jobs[jobs.length - 1];
	const end = Math.min(file.size, last.offset + MAX_LOCAL_HEADER + last.compressedSize);
	const slice = new Uint8Array(await file.slice(start, end).arrayBuffer());
	const reader: ByteReader = {
		size: file.size,
		read: async (offset, length) =>
			offset >= start && offset + length <= end
				? slice.subarray(offset - start, offset - start + length)
				: new Uint8Array(await file.slice(offset, offset + length).arrayBuffer())
	};
	const results: InflateResult[] = [];
	const transfer: ArrayBuffer[] = [];
	for (const job of jobs) {
		try {
			const bytes = await readEntry('', reader, job);
			results.push([job.pos, bytes]);
			transfer.push(bytes.buffer as ArrayBuffer);
		} catch {
			results.push([job.pos, null]);
		}
	}
	(self as unknown as Worker).postMessage(results, transfer);
}
