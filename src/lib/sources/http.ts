/**
 * A ByteReader over HTTP: ranges when the host serves them (any static host with byte-range
 * support: GitHub Pages, S3, nginx, python -m http.server does not), else the whole file once,
 * with progress. Counts the bytes fetched, which the snapshot benchmark reports.
 */
import { memoryReader, type ByteReader } from './tree';

export interface HttpReader extends ByteReader {
	/** Bytes received so far. */
	fetched(): number;
	/** Whether reads are ranges (false: the whole file was downloaded). */
	ranged: boolean;
}

export async function httpReader(url: string, onProgress?: (done: number, total: number) => void, doFetch: typeof fetch = (...a) => fetch(...a)): Promise<HttpReader> {
	let fetched = 0;
	// A one-byte range says both whether ranges work and (Content-Range) the file's size.
	const probe = await doFetch(url, { headers: { Range: 'bytes=0-0' } });
	if (!probe.ok) throw new Error(`${url} could not be fetched (HTTP ${probe.status})`);
	const total = Number(probe.headers.get('Content-Range')?.split('/')[1]);
	if (probe.status === 206 && Number.isFinite(total)) {
		fetched += (await probe.arrayBuffer()).byteLength;
		return {
			size: total,
			ranged: true,
			fetched: () => fetched,
			async read(offset, length) {
				if (length === 0) return new Uint8Array(0);
				const res = await doFetch(url, { headers: { Range: `bytes=${offset}-${offset + length - 1}` } });
				if (res.status !== 206) throw new Error(`${url}: the host stopped serving byte ranges (HTTP ${res.status})`);
				const bytes = new Uint8Array(await res.arrayBuffer());
				fetched += bytes.length;
				if (bytes.length !== length) throw new Error(`${url}: asked ${length} bytes at ${offset}, got ${bytes.length} (truncated?)`);
				return bytes;
			}
		};
	}
	// No ranges: the whole body (the probe's answer is the file).
	const size = Number(probe.headers.get('Content-Length')) || 0;
	const chunks: Uint8Array[] = [];
	const reader = probe.body!.getReader();
	for (;;) {
		const { done, value } = await reader.read();
		if (done) break;
		chunks.push(value);
		fetched += value.length;
		onProgress?.(fetched, size);
	}
	const whole = new Uint8Array(fetched);
	let at = 0;
	for (const c of chunks) {
		whole.set(c, at);
		at += c.length;
	}
	return { ...memoryReader(whole), ranged: false, fetched: () => fetched };
}
