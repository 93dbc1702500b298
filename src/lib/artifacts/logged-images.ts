/**
 * Images logged with steps (`mlflow.log_image(image, key=..., step=...)`, MLflow 2.12+): each is
 * `images/<key>%step%<step>%timestamp%<ms>%<uuid>.png` with a smaller copy beside it,
 * `…%<uuid>%compressed.webp`; a `/` in the key is written as `#`. The run is tagged
 * `mlflow.loggedImages`. Read from artifact paths alone, so any store that kept the files shows them.
 */

export interface LoggedImage {
	step: number;
	timestamp: number;
	/** The full-resolution image. */
	path: string;
	/** The compressed copy, when it was kept (shown in grids: smaller to read). */
	thumbnail?: string;
}

const NAME = /^images\/(.+)%step%(-?\d+)%timestamp%(-?\d+)%([^%/]+?)(%compressed)?\.(png|webp|jpe?g)$/i;

/** A run's logged images by key, each key's sorted by step (then time). */
export function loggedImages(paths: Iterable<string>): Map<string, LoggedImage[]> {
	const byId = new Map<string, { key: string; image: LoggedImage }>();
	for (const path of paths) {
		const m = NAME.exec(path);
		if (!m) continue;
		const [, rawKey, step, timestamp, uuid, compressed] = m;
		const id = `${rawKey}\u0000${step}\u0000${timestamp}\u0000${uuid}`;
		let entry = byId.get(id);
		if (!entry) {
			entry = { key: rawKey.replace(/#/g, '/'), image: { step: Number(step), timestamp: Number(timestamp), path: '' } };
			byId.set(id, entry);
		}
		if (compressed) entry.image.thumbnail = path;
		else entry.image.path = path;
	}
	const out = new Map<string, LoggedImage[]>();
	for (const { key, image } of byId.values()) {
		// A compressed copy whose full image was not kept stands in for it.
		if (!image.path) image.path = image.thumbnail!;
		let list = out.get(key);
		if (!list) out.set(key, (list = []));
		list.push(image);
	}
	for (const list of out.values()) list.sort((a, b) => a.step - b.step || a.timestamp - b.timestamp);
	return new Map([...out].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** The image shown at `step`: the last one logged at or before it (none before the first). */
export function imageAt(images: LoggedImage[], step: number): LoggedImage | undefined {
	let found: LoggedImage | undefined;
	for (const image of images) {
		if (image.step > step) break;
		found = image;
	}
	return found;
}

/** Every step any of the lists has, ascending: the stops of a shared step slider. */
export function stepsOf(lists: Iterable<LoggedImage[]>): number[] {
	const steps = new Set<number>();
	for (const list of lists) for (const image of list) steps.add(image.step);
	return [...steps].sort((a, b) => a - b);
}
