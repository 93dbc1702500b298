/** Reading by HTTP ranges, and the whole-file fallback for hosts without them. */
import { afterEach, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { httpReader, HttpReadError, snapshotUrl } from './http';

const body = Uint8Array.from({ length: 100_000 }, (_, i) => i % 251);
let server: Server | undefined;
afterEach(() => new Promise<void>((r) => (server ? server.close(() => r()) : r())));

async function serve(ranges: boolean): Promise<string> {
	server = createServer((req, res) => {
		const m = /^bytes=(\d+)-(\d+)$/.exec(req.headers.range ?? '');
		if (ranges && m) {
			const [start, end] = [Number(m[1]), Number(m[2])];
			res
				.writeHead(206, { 'Content-Range': `bytes ${start}-${end}/${body.length}`, 'Content-Length': String(end - start + 1) })
				.end(body.subarray(start, end + 1));
		} else res.writeHead(200, { 'Content-Length': String(body.length) }).end(body);
	});
	await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
	return `http://127.0.0.1:${(server!.address() as AddressInfo).port}/x.trackside`;
}

/** A server scripted per request: `answer(range, n)` decides each response (n counts from 0). */
async function scripted(
	answer: (range: [number, number] | undefined, n: number, res: import('node:http').ServerResponse) => void
): Promise<string> {
	let n = 0;
	server = createServer((req, res) => {
		const m = /^bytes=(\d+)-(\d+)$/.exec(req.headers.range ?? '');
		answer(m ? [Number(m[1]), Number(m[2])] : undefined, n++, res);
	});
	await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
	return `http://127.0.0.1:${(server!.address() as AddressInfo).port}/x.trackside`;
}
const partial = (res: import('node:http').ServerResponse, [start, end]: [number, number]) =>
	res
		.writeHead(206, { 'Content-Range': `bytes ${start}-${end}/${body.length}`, 'Content-Length': String(end - start + 1) })
		.end(body.subarray(start, end + 1));
const whole = (res: import('node:http').ServerResponse) => res.writeHead(200, { 'Content-Length': String(body.length) }).end(body);

describe('httpReader', () => {
	it('reads right whichever answer comes: ranges (as from the browser cache) mixed with whole files (the host), downloaded once', async () => {
		let wholes = 0;
		// Requests 0 (probe) and 2 get ranges; 1, 3 and later get the whole file, as python -m
		// http.server sends when the browser's cache does not answer.
		const url = await scripted((range, n, res) => {
			if (range && (n === 0 || n === 2)) return partial(res, range);
			wholes++;
			whole(res);
		});
		const reader = await httpReader(url);
		expect(reader.ranged).toBe(true);
		const reads = await Promise.all([reader.read(10, 5), reader.read(99_990, 10), reader.read(50_000, 1000), reader.read(7, 3)]);
		expect(reads[0]).toEqual(body.subarray(10, 15));
		expect(reads[1]).toEqual(body.subarray(99_990, 100_000));
		expect(reads[2]).toEqual(body.subarray(50_000, 51_000));
		expect(reads[3]).toEqual(body.subarray(7, 10));
		expect(reader.ranged).toBe(false);
		// Later reads come from memory: no request.
		const before = wholes;
		expect(await reader.read(0, 3)).toEqual(body.subarray(0, 3));
		expect(wholes).toBe(before);
	});

	it('refuses a body longer than announced, a truncated one, and an endless one past the limit', async () => {
		// A Response built by hand: Node's server would cut the body at its Content-Length.
		const lying = (async () =>
			new Response(body.subarray(0, 20), { status: 200, headers: { 'Content-Length': '10' } })) as unknown as typeof fetch;
		await expect(httpReader('http://127.0.0.1:9/x', { fetch: lying })).rejects.toThrow(/more than the 10 bytes it announced/);
		const endless = await scripted((_r, _n, res) => {
			res.writeHead(200);
			const chunk = new Uint8Array(64 * 1024);
			let sent = 0;
			const more = () => {
				while (sent < 400 && res.write(chunk)) sent++;
				if (sent < 400) res.once('drain', more);
				else res.end();
			};
			more();
		});
		await expect(httpReader(endless, { maxWholeBytes: 1 << 20 })).rejects.toThrow(/larger than 1 MB/);
		server!.close();
		const cut = await scripted((range, n, res) =>
			n === 0 && range
				? partial(res, range)
				: res.writeHead(206, { 'Content-Range': `bytes 0-99/${body.length}` }).end(body.subarray(0, 50))
		);
		const reader = await httpReader(cut);
		await expect(reader.read(0, 100)).rejects.toThrow(HttpReadError);
	});

	it('gives up on a host that goes silent, and cancels', async () => {
		const silent = await scripted(() => undefined);
		await expect(httpReader(silent, { idleMs: 200 })).rejects.toThrow(/sent nothing for 0 s/);
		const abort = new AbortController();
		const pending = httpReader(silent, { signal: abort.signal });
		abort.abort(new HttpReadError('Cancelled'));
		await expect(pending).rejects.toThrow('Cancelled');
	});

	it('opens snapshots from http(s) links only', () => {
		expect(snapshotUrl('s.trackside', 'https://example.org/site/')).toBe('https://example.org/site/s.trackside');
		expect(() => snapshotUrl('data:application/octet-stream;base64,AAAA')).toThrow(/http\(s\) links only/);
		expect(() => snapshotUrl('blob:https://example.org/1234')).toThrow(/blob: links/);
		expect(() => snapshotUrl('javascript:alert(1)', 'https://example.org/')).toThrow(HttpReadError);
	});

	it('reads ranges and counts only what it fetched', async () => {
		const reader = await httpReader(await serve(true));
		expect(reader.ranged).toBe(true);
		expect(reader.size).toBe(body.length);
		expect(await reader.read(90_000, 5)).toEqual(body.subarray(90_000, 90_005));
		expect(reader.fetched()).toBe(6);
	});

	it('downloads the whole file, with progress, when the host ignores ranges', async () => {
		const progress: number[] = [];
		const reader = await httpReader(await serve(false), { onProgress: (done) => progress.push(done) });
		expect(reader.ranged).toBe(false);
		expect(await reader.read(90_000, 5)).toEqual(body.subarray(90_000, 90_005));
		expect(reader.fetched()).toBe(body.length);
		expect(progress[progress.length - 1]).toBe(body.length);
	});
});
