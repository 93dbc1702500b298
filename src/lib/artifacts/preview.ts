/**
 * Which preview an artifact gets, by name, as MLflow's UI decides (common/utils/FileUtils.ts), and
 * the small parsers previews need. Previews stop at 50 MB, as MLflow's (ShowArtifactPage.tsx).
 */
import { parse as parseYaml } from 'yaml';

export type PreviewKind = 'image' | 'text' | 'json' | 'yaml' | 'mlmodel' | 'csv' | 'tsv' | 'pdf' | 'audio' | 'video' | 'html' | 'none';

export const MAX_PREVIEW_BYTES = 50 * 1024 * 1024;

const BY_EXTENSION: Record<string, PreviewKind> = {};
const add = (kind: PreviewKind, exts: string) => exts.split(' ').forEach((e) => (BY_EXTENSION[e] = kind));
add('image', 'jpg bmp jpeg png gif svg webp');
add('text', 'txt log err cfg conf cnf cf ini properties prop hocon toml xml js py py3 md rst jsonnet sh r sql ts scala java');
add('json', 'json geojson ipynb');
add('yaml', 'yaml yml');
add('csv', 'csv');
add('tsv', 'tsv');
add('pdf', 'pdf');
add('audio', 'm4a mp3 wav aac wma flac opus ogg');
add('video', 'mp4 mov mkv webm avi');
add('html', 'html htm');

export function previewKind(path: string): PreviewKind {
	const name = path.split('/').pop() ?? '';
	if (name === 'MLmodel') return 'mlmodel';
	if (name === 'MLproject' || name === 'requirements.txt' || name === 'Dockerfile') return name === 'MLproject' ? 'yaml' : 'text';
	const dot = name.lastIndexOf('.');
	return dot < 0 ? 'none' : (BY_EXTENSION[name.slice(dot + 1).toLowerCase()] ?? 'none');
}

/** The MIME type a Blob gets before it is shown, so a mislabelled file cannot become HTML. */
export function previewMime(kind: PreviewKind, path: string): string {
	const ext = path.slice(path.lastIndexOf('.') + 1).toLowerCase();
	switch (kind) {
		case 'image':
			return ext === 'svg' ? 'image/svg+xml' : `image/${ext === 'jpg' ? 'jpeg' : ext}`;
		case 'pdf':
			return 'application/pdf';
		case 'audio':
			return `audio/${ext === 'm4a' ? 'mp4' : ext}`;
		case 'video':
			return `video/${ext === 'mov' ? 'quicktime' : ext === 'mkv' ? 'x-matroska' : ext}`;
		case 'html':
			return 'text/html';
		default:
			return 'text/plain';
	}
}

/** CSV or TSV rows (RFC 4180 quoting), at most `limit` rows. */
export function parseDelimited(text: string, delimiter: string, limit = 1000): { rows: string[][]; truncated: boolean } {
	const rows: string[][] = [];
	let row: string[] = [];
	let cell = '';
	let quoted = false;
	for (let i = 0; i < text.length; i++) {
		const c = text[i];
		if (quoted) {
			if (c === '"') {
				if (text[i + 1] === '"') {
					cell += '"';
					i++;
				} else quoted = false;
			} else cell += c;
		} else if (c === '"' && cell === '') quoted = true;
		else if (c === delimiter) {
			row.push(cell);
			cell = '';
		} else if (c === '\n' || c === '\r') {
			if (c === '\r' && text[i + 1] === '\n') i++;
			row.push(cell);
			rows.push(row);
			row = [];
			cell = '';
			if (rows.length > limit) return { rows: rows.slice(0, limit), truncated: true };
		} else cell += c;
	}
	if (cell !== '' || row.length) {
		row.push(cell);
		rows.push(row);
	}
	return { rows, truncated: false };
}

export interface SignatureColumn {
	name: string;
	type: string;
	shape?: string;
}

export interface MLmodelInfo {
	flavors: { name: string; details: Record<string, unknown> }[];
	inputs: SignatureColumn[];
	outputs: SignatureColumn[];
	params: SignatureColumn[];
	inputExamplePath?: string;
	runId?: string;
	modelUuid?: string;
	utcTimeCreated?: string;
	mlflowVersion?: string;
}

/** MLflow signatures store each schema as a JSON string inside the YAML. */
function schema(v: unknown): SignatureColumn[] {
	if (typeof v !== 'string') return [];
	try {
		type Spec = { dtype?: string; shape?: number[] };
		const cols = JSON.parse(v) as { name?: string; type?: string; 'tensor-spec'?: Spec; tensor_spec?: Spec }[];
		return cols.map((c, i) => {
			const spec = c['tensor-spec'] ?? c.tensor_spec;
			return {
				name: c.name ?? `#${i}`,
				type: c.type === 'tensor' ? `tensor (${spec?.dtype ?? '?'})` : (c.type ?? '?'),
				shape: spec?.shape ? `(${spec.shape.join(', ')})` : undefined
			};
		});
	} catch {
		return [];
	}
}

export function parseMLmodel(text: string): MLmodelInfo {
	const m = (parseYaml(text) ?? {}) as Record<string, unknown>;
	const flavors = Object.entries((m.flavors ?? {}) as Record<string, Record<string, unknown>>).map(([name, details]) => ({
		name,
		details: details ?? {}
	}));
	const sig = (m.signature ?? {}) as Record<string, unknown>;
	const example = m.saved_input_example_info as { artifact_path?: string } | undefined;
	return {
		flavors,
		inputs: schema(sig.inputs),
		outputs: schema(sig.outputs),
		params: schema(sig.params),
		inputExamplePath: example?.artifact_path,
		runId: m.run_id as string | undefined,
		modelUuid: (m.model_uuid ?? m.model_id) as string | undefined,
		utcTimeCreated: m.utc_time_created as string | undefined,
		mlflowVersion: m.mlflow_version as string | undefined
	};
}
