/**
 * The CLI's Persistence: the store image in one file, written beside its final name and renamed
 * (writeFileAtomic), so a failure or a crash never leaves a half-written file. Artifact bytes
 * are not kept: a store file indexes artifacts, as `--db` always did.
 */
import { closeSync, existsSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { MemoryPersistence } from '../lib/workspace/persistence';

/** Writes `path` whole or not at all: to `<path>.tmp` first, then renamed over it. */
export async function writeFileAtomic(
	path: string,
	content: Uint8Array | ((write: (chunk: Uint8Array) => void) => Promise<void>)
): Promise<void> {
	const tmp = `${path}.tmp`;
	const fd = openSync(tmp, 'w');
	try {
		if (typeof content === 'function') await content((chunk) => void writeSync(fd, chunk));
		else writeSync(fd, content);
	} catch (e) {
		closeSync(fd);
		rmSync(tmp, { force: true });
		throw e;
	}
	closeSync(fd);
	renameSync(tmp, path);
}

export class FilePersistence extends MemoryPersistence {
	keepsArtifacts = false;
	/** A `--db` file is one SQLite image that any SQLite tool opens. */
	splitsBulk = false;

	constructor(readonly path: string) {
		super();
	}

	async loadImage() {
		return existsSync(this.path) ? { bytes: new Uint8Array(readFileSync(this.path)), generation: 1 } : undefined;
	}
	async imageGeneration() {
		return existsSync(this.path) ? 1 : 0;
	}
	async saveImage(bytes: Uint8Array) {
		await writeFileAtomic(this.path, bytes);
	}
}
