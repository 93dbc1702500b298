/**
 * Inflates a zip's small entries ahead of the importer on another thread. An mlruns import is
 * about one third inflating and two thirds parsing and inserting; with the inflating in a helper
 * worker the two overlap on a second core (see BENCHMARKS.md). The importer reads files roughly in
 * archive order, so entries are sent in offset order, a bounded window ahead of the last request.
 *
 * Anything the helper did not produce (a large entry, one it skipped or failed, one requested out
 * of order) is read on the calling thread as before, so results never depend on the helper.
 */
import type { ZipEntryInfo } from './zip-directory';

/** A job for the helper: an entry by its plan position. */
export type InflateJob = Pick<
	ZipEntryInfo,
	'filename' | 'offset' | 'compressedSize' | 'uncompressedSize' | 'compressionMethod' | 'encrypted' | 'directory' | 'crc32'
> & { pos: number };
/** The helper's answer: bytes for a position, or null when it could not read the entry. */
export type InflateResult = [pos: number, bytes: Uint8Array | null];

export interface InflateChannel {
	send(jobs: InflateJob[]): void;
	onResults(handler: (results: InflateResult[]) => void): void;
	close(): void;
}

/** Entries above this are read on demand only: big artifacts must not sit in the window. */
const MAX_PREFETCHED_ENTRY = 1 << 20;
/** Inflated bytes allowed ahead of the importer; bounds memory whatever the archive holds. */
const WINDOW_BYTES = 32 << 20;
/**
 * Sending resumes only when the window has drained to this: refilling it after every taken file
 * would send batches of a few entries, each paying a Blob read (~1 ms) in the helper.
 */
const REFILL_BELOW = WINDOW_BYTES / 2;
/** Compressed bytes per message: large enough that postMessage and Blob read costs vanish. */
const BATCH_BYTES = 1 << 20;
/** The first batches are smaller, and grow, so the importer starts within a few ms. */
const FIRST_BATCH_BYTES = 32 << 10;
const BATCH_ENTRIES = 4096;

export class ZipPrefetch {
	private readonly plan: ZipEntryInfo[];
	private readonly position = new Map<ZipEntryInfo, number>();
	private readonly ready = new Map<number, Uint8Array>();
	/** Positions in the order they became ready, for evicting the oldest first (taken ones are skipped). */
	private readonly readyOrder: number[] = [];
	private readyHead = 0;
	private readonly waiting = new Map<number, (bytes: Uint8Array | null) => void>();
	private readonly inFlight = new Set<number>();
	private sent = 0; // plan positions below this were sent or skipped
	private aheadBytes = 0; // sent and not yet taken or dropped: bounds memory
	private batchBytes = FIRST_BATCH_BYTES;

	constructor(
		entries: ZipEntryInfo[],
		private readonly channel: InflateChannel
	) {
		this.plan = entries
			.filter((e) => !e.directory && !e.encrypted && e.uncompressedSize <= MAX_PREFETCHED_ENTRY)
			.sort((a, b) => a.offset - b.offset);
		this.plan.forEach((e, i) => this.position.set(e, i));
		channel.onResults((results) => this.receive(results));
		this.pump();
	}

	/** The entry's bytes if the helper has them or will soon; undefined or null: read it yourself. */
	take(entry: ZipEntryInfo): Promise<Uint8Array | null> | undefined {
		const pos = this.position.get(entry);
		if (pos === undefined) return undefined;
		const bytes = this.ready.get(pos);
		if (bytes) {
			this.ready.delete(pos);
			this.release(bytes.length);
			return Promise.resolve(bytes);
		}
		if (pos >= this.sent) {
			// The importer jumped ahead of the window. What is still unread was skipped (artifacts,
			// a run without meta.yaml): make room from the oldest, and continue from here.
			this.evictOldest(pos);
			this.sent = pos;
			this.pump();
		}
		if (!this.inFlight.has(pos)) return undefined;
		return new Promise((resolve) => this.waiting.set(pos, resolve));
	}

	close(): void {
		this.channel.close();
		for (const resolve of this.waiting.values()) resolve(null);
		this.waiting.clear();
		this.ready.clear();
	}

	private evictOldest(before: number): void {
		while (this.aheadBytes > REFILL_BELOW && this.readyHead < this.readyOrder.length) {
			const p = this.readyOrder[this.readyHead];
			if (p >= before) break;
			this.readyHead++;
			const bytes = this.ready.get(p);
			if (bytes) {
				this.ready.delete(p);
				this.aheadBytes -= bytes.length;
			}
		}
		if (this.readyHead > 4096 && this.readyHead * 2 > this.readyOrder.length) {
			this.readyOrder.splice(0, this.readyHead);
			this.readyHead = 0;
		}
	}

	private release(n: number): void {
		this.aheadBytes -= n;
		this.pump();
	}

	private pump(): void {
		if (this.aheadBytes > REFILL_BELOW) return;
		while (this.sent < this.plan.length && this.aheadBytes < WINDOW_BYTES) {
			const jobs: InflateJob[] = [];
			let compressed = 0;
			while (
				this.sent < this.plan.length &&
				compressed < this.batchBytes &&
				jobs.length < BATCH_ENTRIES &&
				this.aheadBytes < WINDOW_BYTES
			) {
				const e = this.plan[this.sent];
				jobs.push({ ...e, pos: this.sent });
				this.inFlight.add(this.sent);
				compressed += e.compressedSize;
				this.aheadBytes += e.uncompressedSize;
				this.sent++;
			}
			this.channel.send(jobs);
			this.batchBytes = Math.min(BATCH_BYTES, this.batchBytes * 2);
		}
	}

	private receive(results: InflateResult[]): void {
		for (const [pos, bytes] of results) {
			this.inFlight.delete(pos);
			const resolve = this.waiting.get(pos);
			if (resolve) {
				this.waiting.delete(pos);
				this.aheadBytes -= this.plan[pos].uncompressedSize;
				resolve(bytes);
			} else if (bytes) {
				this.ready.set(pos, bytes);
				this.readyOrder.push(pos);
			} else this.aheadBytes -= this.plan[pos].uncompressedSize;
		}
		this.pump();
	}
}
