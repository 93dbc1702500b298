/**
 * A ByteReader over HTTP: ranges when the host serves them (GitHub Pages, S3, nginx), else the
 * whole file once, with progress (python -m http.server serves no ranges). Counts the bytes
 * fetched, which the snapshot benchmark reports.
 *
 * Any answer is handled, whichever comes: a browser answers some range requests from its cache
 * (206, cut from a whole file it holds) while others reach a host that ignores ranges (200, the
 * whole file). A 200 to a range request switches the reader to the whole file, downloaded once
 * and shared by every read after it. A host is untrusted: a body larger than it said, or than
 * MAX_WHOLE_BYTES, and a request silent for IDLE_MS are refused, and `signal` cancels.
 */
import { UserError } from '../errors';
import { memoryReader, type ByteReader } from './tree';
import { readLimited } from './bytes';

export interface HttpReader extends ByteReader {
	/** Bytes received so far. */
	fetched(): number;
	/** Whether reads are ranges (false once the whole file is in memory). */
	ranged: boolean;
}

/** A failed HTTP read: the URL, and what went wrong in words a user can act on. */
export class HttpReadError extends UserError {
	constructor(message: string) {
		super(message, 'http');
	}
}

/** The largest file read whole into a tab (a bigger one must come from a host with ranges). */
export const MAX_WHOLE_BYTES = 1536 * 1024 * 1024;
/** A request that sends nothing for this long is given up. */
export const IDLE_MS = 30_000;

export interface HttpReaderOptions {
	onProgress?: (done: number, total: number) => void;
	signal?: AbortSignal;
	fetch?: typeof fetch;
	idleMs?: number;
	maxWholeBytes?: number;
}

/** One request: its response, the idle timer's reset, its cleanup, and why it was aborted. */
interface Exchange {
	res: Response;
	alive: () => void;
	done: () => void;
	reason: () => unknown;
}

export async function httpReader(url: string, options: HttpReaderOptions = {}): Promise<HttpReader> {
	const { onProgress, signal, idleMs = IDLE_MS, maxWholeBytes = MAX_WHOLE_BYTES } = options;
	const doFetch = options.fetch ?? ((...a: Parameters<typeof fetch>) => fetch(...a));
	let fetched = 0;

	/** fetch with an idle timer (reset by `alive`) and the caller's cancel. */
	async function request(headers: Record<string, string>): Promise<Exchange> {
		const abort = new AbortController();
		let timer: ReturnType<typeof setTimeout> | undefined;
		const alive = () => {
			clearTimeout(timer);
			timer = setTimeout(
				() => abort.abort(new HttpReadError(`${url}: the host sent nothing for ${Math.round(idleMs / 1000)} s; gave up`)),
				idleMs
			);
		};
		const cancel = () => abort.abort(signal?.reason ?? new HttpReadError('Cancelled'));
		signal?.addEventListener('abort', cancel);
		const done = () => {
			clearTimeout(timer);
			signal?.removeEventListener('abort', cancel);
		};
		if (signal?.aborted) cancel();
		alive();
		try {
			const res = await doFetch(url, { headers, signal: abort.signal });
			alive();
			return { res, alive, done, reason: () => (abort.signal.aborted ? abort.signal.reason : undefined) };
		} catch (e) {
			done();
			throw abort.signal.reason instanceof Error
				? abort.signal.reason
				: new HttpReadError(`${url} could not be fetched: ${(e as Error).message}`);
		}
	}

	/** A response body, bounded: never more than `limit` bytes, and exactly `expected` if known. */
	async function body(r: Exchange, expected: number | undefined, limit: number, progress: boolean): Promise<Uint8Array> {
		const max = Math.min(limit, expected ?? Infinity);
		let bytes: Uint8Array;
		try {
			bytes = await readLimited(
				r.res.body!,
				max,
				() =>
					new HttpReadError(
						expected !== undefined && max === expected
							? `${url}: the host sent more than the ${expected.toLocaleString('en-US')} bytes it announced; refused`
							: `${url} is larger than ${Math.round(limit / 2 ** 20).toLocaleString('en-US')} MB, which is read whole only from hosts that serve byte ranges; refused`
					),
				(size, got) => {
					r.alive();
					fetched += size;
					if (progress) onProgress?.(got, expected ?? 0);
				}
			);
		} catch (e) {
			if (e instanceof HttpReadError) throw e;
			throw r.reason() ?? new HttpReadError(`${url}: the download broke off (${(e as Error).message})`);
		} finally {
			r.done();
		}
		if (expected !== undefined && bytes.length !== expected)
			throw new HttpReadError(
				`${url}: the host sent ${bytes.length.toLocaleString('en-US')} of ${expected.toLocaleString('en-US')} bytes (truncated)`
			);
		return bytes;
	}

	const declared = (res: Response) => {
		const n = Number(res.headers.get('Content-Length') ?? NaN);
		return Number.isFinite(n) && n >= 0 && !res.headers.get('Content-Encoding') ? n : undefined;
	};

	// A one-byte range says both whether ranges work and (Content-Range) the file's size.
	const probe = await request({ Range: 'bytes=0-0' });
	if (!probe.res.ok) {
		probe.done();
		throw new HttpReadError(`${url} could not be fetched (HTTP ${probe.res.status})`);
	}
	const total = Number(probe.res.headers.get('Content-Range')?.split('/')[1]);
	let whole: Promise<Uint8Array> | undefined;
	const self: HttpReader = {
		size: 0,
		ranged: true,
		fetched: () => fetched,
		async read(offset, length) {
			if (length === 0) return new Uint8Array(0);
			if (offset < 0 || offset + length > self.size)
				throw new HttpReadError(`${url}: asked ${length} bytes at ${offset}, past its end (${self.size})`);
			if (whole) return (await whole).subarray(offset, offset + length);
			const r = await request({ Range: `bytes=${offset}-${offset + length - 1}` });
			if (r.res.status === 200) {
				// The host (not the browser's cache) answered with the whole file: keep it for every read.
				if (!whole) {
					self.ranged = false;
					whole = body(r, self.size, maxWholeBytes, true);
				} else {
					r.done();
					await r.res.body?.cancel();
				}
				return (await whole).subarray(offset, offset + length);
			}
			if (r.res.status !== 206) {
				r.done();
				throw new HttpReadError(`${url}: a read failed (HTTP ${r.res.status})`);
			}
			const range = /^bytes (\d+)-(\d+)\/(\d+|\*)$/.exec(r.res.headers.get('Content-Range') ?? '');
			if (range && Number(range[1]) !== offset) {
				r.done();
				throw new HttpReadError(`${url}: asked bytes from ${offset}, the host sent bytes from ${range[1]}`);
			}
			return body(r, length, length, false);
		}
	};
	if (probe.res.status === 206 && Number.isFinite(total)) {
		self.size = total;
		await body(probe, 1, 1, false);
		return self;
	}
	// No ranges: the probe's answer is the whole file.
	const bytes = await body(probe, declared(probe.res), maxWholeBytes, true);
	return { ...memoryReader(bytes), ranged: false, fetched: () => fetched };
}

/**
 * A snapshot link's URL, checked: http(s) only. A data: or blob: URL would let a link carry its
 * own content into the app (a dropped file is the way to open a local snapshot), and other
 * schemes are nothing a snapshot is served from.
 */
export function snapshotUrl(raw: string, base?: string): string {
	let url: URL;
	try {
		url = new URL(raw, base ?? (typeof location !== 'undefined' ? location.href : undefined));
	} catch {
		throw new HttpReadError(`"${raw.slice(0, 200)}" is not a URL a snapshot can be opened from`);
	}
	if (url.protocol !== 'https:' && url.protocol !== 'http:') {
		throw new HttpReadError(
			`Snapshots open from http(s) links only, not ${url.protocol} links; to open a snapshot file from this computer, drop it on the page`
		);
	}
	return url.href;
}
