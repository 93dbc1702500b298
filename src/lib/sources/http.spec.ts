/** Reading by HTTP ranges, and the whole-file fallback for hosts without them. */
import { afterEach, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { httpReader } from './http';

const body = Uint8Array.from({ length: 100_000 }, (_, i) => i % 251);
let server: Server | undefined;
afterEach(() => new Promise<void>((r) => (server ? server.close(() => r()) : r())));

async function serve(ranges: boolean): Promise<string> {
	server = createServer((req, res) => {
		const m = /^bytes=(\d+)-(\d+)$/.exec(req.headers.range ?? '');
		if (ranges && m) {
			const [start, end] = [Number(m[1]), Number(m[2])];
			res.writeHead(206, { 'Content-Range': `bytes ${start}-${end}/${body.length}`, 'Content-Length': String(end - start + 1) }).end(body.subarray(start, end + 1));
		} else res.writeHead(200, { 'Content-Length': String(body.length) }).end(body);
	});
	await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
	return `http://127.0.0.1:${(server!.address() as AddressInfo).port}/x.trackside`;
}

describe('httpReader', () => {
	it('reads ranges and counts only what it fetched', async () => {
		const reader = await httpReader(await serve(true));
		expect(reader.ranged).toBe(true);
		expect(reader.size).toBe(body.length);
		expect(await reader.read(90_000, 5)).toEqual(body.subarray(90_000, 90_005));
		expect(reader.fetched()).toBe(6);
	});

	it('downloads the whole file, with progress, when the host ignores ranges', async () => {
		const progress: number[] = [];
		const reader = await httpReader(await serve(false), (done) => progress.push(done));
		expect(reader.ranged).toBe(false);
		expect(await reader.read(90_000, 5)).toEqual(body.subarray(90_000, 90_005));
		expect(reader.fetched()).toBe(body.length);
		expect(progress[progress.length - 1]).toBe(body.length);
	});
});
