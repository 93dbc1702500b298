/**
 * Tracking servers that misbehave (loopback only): a page token that never ends, an answer far too
 * large, a server that never answers, and a cancel while a request hangs. Each stops with the
 * reason, promptly, and a pull changes nothing.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { MlflowClient, RemoteError } from './client';
import { newPullState, pull } from './pull';

let server: Server | undefined;
afterEach(() => new Promise<void>((r) => (server ? (server.closeAllConnections(), server.close(() => r())) : r())));

async function serve(handler: (path: string, n: number, res: ServerResponse) => void): Promise<string> {
	let n = 0;
	server = createServer((req, res) => handler(new URL(req.url!, 'http://x').pathname, n++, res));
	await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
	return `http://127.0.0.1:${(server!.address() as AddressInfo).port}`;
}
const json = (res: ServerResponse, doc: unknown) => res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(doc));
const client = (url: string, extra: Partial<ConstructorParameters<typeof MlflowClient>[0]> = {}) =>
	new MlflowClient({ url, rate: 10_000, retries: 0, sleep: async () => {}, ...extra });

describe('hostile tracking servers', () => {
	it('stops a server that always returns next_page_token, whether it repeats or not', async () => {
		const repeating = await serve((_p, _n, res) => json(res, { experiments: [], next_page_token: 'again' }));
		await expect(client(repeating).all('GET', 'experiments/search', {}, 'experiments')).rejects.toThrow(/a page token it gave before/);
		server!.close();
		const fresh = await serve((_p, n, res) => json(res, { experiments: [{ experiment_id: String(n) }], next_page_token: `t${n}` }));
		await expect(client(fresh, { maxPages: 50 }).all('GET', 'experiments/search', {}, 'experiments')).rejects.toThrow(
			/kept paging experiments\/search past 50 pages/
		);
	});

	it('refuses an answer larger than the limit as it arrives, announced or not', async () => {
		const big = await serve((_p, _n, res) => {
			res.writeHead(200, { 'Content-Type': 'application/json' });
			const chunk = Buffer.alloc(1 << 16, 32);
			let sent = 0;
			const more = () => {
				while (sent < 200 && res.write(chunk)) sent++;
				if (sent < 200) res.once('drain', more);
				else res.end('{}');
			};
			res.write('{"experiments": [], "pad": "');
			more();
		});
		const err = await client(big, { maxResponseBytes: 1 << 20 })
			.call('GET', 'experiments/search', {})
			.catch((e) => e);
		expect(err).toBeInstanceOf(RemoteError);
		expect((err as RemoteError).reason).toBe('limit');
		expect((err as Error).message).toMatch(/more than 1 MB; refused/);
	});

	it('gives up on a server that never answers, and a cancel stops a hanging request at once', async () => {
		const silent = await serve(() => undefined);
		const t0 = Date.now();
		await expect(client(silent, { timeoutMs: 300 }).call('GET', 'experiments/search', {})).rejects.toThrow(/sent nothing for 0 s/);
		expect(Date.now() - t0).toBeLessThan(3000);
		const cancel = { cancelled: false };
		const pending = pull(
			client(silent),
			{ experimentIds: ['1'], registry: false, artifactBytes: 0 },
			() => new Map(),
			newPullState(),
			() => {},
			cancel
		);
		setTimeout(() => (cancel.cancelled = true), 200);
		const t1 = Date.now();
		await expect(pending).rejects.toThrow('Cancelled');
		expect(Date.now() - t1).toBeLessThan(2000);
	});
});
