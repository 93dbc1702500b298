/** Byte arrays from pieces: one concatenation, and one bounded read of a response body. */

/** The chunks as one array (the only chunk itself, uncopied). */
export function concatBytes(chunks: Uint8Array[]): Uint8Array {
	if (chunks.length === 1) return chunks[0];
	const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
	let at = 0;
	for (const c of chunks) {
		out.set(c, at);
		at += c.length;
	}
	return out;
}

/**
 * A stream read whole, but never past `limit` bytes: past it the read is cancelled and
 * `tooLarge(received)` thrown. Counted as it arrives, so an endless or huge body from an
 * untrusted host costs at most `limit`. `onChunk` sees each chunk (an idle timer's reset, progress).
 */
export async function readLimited(
	stream: ReadableStream<Uint8Array>,
	limit: number,
	tooLarge: (received: number) => Error,
	onChunk?: (size: number, received: number) => void
): Promise<Uint8Array> {
	const chunks: Uint8Array[] = [];
	let received = 0;
	const reader = stream.getReader();
	for (;;) {
		const { done, value } = await reader.read();
		if (done) break;
		received += value.length;
		if (received > limit) {
			await reader.cancel().catch(() => {});
			throw tooLarge(received);
		}
		chunks.push(value);
		onChunk?.(value.length, received);
	}
	return concatBytes(chunks);
}
