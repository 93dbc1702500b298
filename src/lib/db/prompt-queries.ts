/**
 * MLflow's prompt registry (mlflow-genai-formats.md §9): prompts are registered models tagged
 * `mlflow.prompt.is_prompt`, each version a model version whose `mlflow.prompt.text` tag holds the
 * template (`{{variable}}` placeholders, or a JSON list of chat messages) and whose description is
 * the commit message. Where a version was used: runs tagged `mlflow.linkedPrompts`, and traces
 * tagged so or associated with `<name>/<version>`.
 */
import type { KeyValue, RegisteredModel } from './rest-types';
import type { ModelQueries } from './model-queries';
import type { SqlReader } from './sql-reader';

export interface PromptVersion {
	version: string;
	/** The template as MLflow stores it: text, or the JSON of a chat prompt's messages. */
	template: string;
	type: 'text' | 'chat';
	/** The commit message. */
	description: string | null;
	creation_timestamp: number | null;
	aliases: string[];
	/** Tags other than MLflow's own prompt tags. */
	tags: KeyValue[];
	response_format: string | null;
}

export interface PromptUse {
	version: string;
	kind: 'run' | 'trace';
	id: string;
	/** A run's name or a trace's name. */
	label: string | null;
	experiment_id: string | null;
}

export interface PromptDetail {
	prompt: RegisteredModel;
	/** Newest first. */
	versions: PromptVersion[];
	uses: PromptUse[];
}

const OWN_TAGS = new Set(['mlflow.prompt.text', 'mlflow.prompt.is_prompt', '_mlflow_prompt_type', '_mlflow_prompt_response_format']);

/** `[{"name", "version"}]` of a `mlflow.linkedPrompts` tag: the versions of `name` it names. */
function linkedVersions(value: unknown, name: string): string[] {
	try {
		const list = JSON.parse(String(value));
		return Array.isArray(list) ? list.filter((p) => p?.name === name).map((p) => String(p.version)) : [];
	} catch {
		return [];
	}
}

export class PromptQueries {
	constructor(
		private readonly r: SqlReader,
		private readonly models: ModelQueries
	) {}

	prompts(search: { filter?: string; orderBy?: string[] } = {}): RegisteredModel[] {
		return this.models.registeredModels(search, 'prompts');
	}

	prompt(name: string): PromptDetail | undefined {
		const prompt = this.models.registeredModels({ filter: `name = '${name.replace(/'/g, "''")}'` }, 'prompts')[0];
		if (!prompt) return undefined;
		const versions = this.models
			.modelVersions({ name }, 'prompts')
			.map((v) => {
				const tag = (k: string) => v.tags?.find((t) => t.key === k)?.value ?? null;
				return {
					version: v.version,
					template: tag('mlflow.prompt.text') ?? '',
					type: tag('_mlflow_prompt_type') === 'chat' ? 'chat' : 'text',
					description: v.description ?? null,
					creation_timestamp: v.creation_timestamp ?? null,
					aliases: v.aliases ?? [],
					tags: (v.tags ?? []).filter((t) => !OWN_TAGS.has(t.key)),
					response_format: tag('_mlflow_prompt_response_format')
				} satisfies PromptVersion;
			})
			.sort((a, b) => Number(b.version) - Number(a.version));
		const uses: PromptUse[] = [];
		const add = (kind: PromptUse['kind'], version: string, row: Record<string, unknown>) => {
			const id = row.id as string;
			if (!uses.some((u) => u.kind === kind && u.id === id && u.version === version))
				uses.push({ version, kind, id, label: row.label as string | null, experiment_id: row.experiment_id as string });
		};
		// A LIKE narrows the rows; the JSON decides (a name can be a prefix of another).
		const like = `%${name.replace(/[%_\\]/g, (c) => `\\${c}`)}%`;
		const tagged = (from: string, order: string) =>
			this.r.all(`SELECT ${from} WHERE t.key = 'mlflow.linkedPrompts' AND t.value LIKE ? ESCAPE '\\' ORDER BY ${order}`, [like]);
		for (const t of tagged(
			't.run_uuid AS id, t.value, r.name AS label, r.experiment_id FROM tags t JOIN runs r USING (run_uuid)',
			'r.start_time DESC'
		))
			for (const version of linkedVersions(t.value, name)) add('run', version, t);
		for (const t of tagged(
			't.trace_id AS id, t.value, tr.trace_name AS label, tr.experiment_id FROM trace_tags t JOIN traces tr USING (trace_id)',
			'tr.request_time DESC'
		))
			for (const version of linkedVersions(t.value, name)) add('trace', version, t);
		for (const t of this.r.all(
			`SELECT a.source_id AS id, a.destination_id, tr.trace_name AS label, tr.experiment_id FROM entity_associations a
				JOIN traces tr ON tr.trace_id = a.source_id
				WHERE a.source_type = 'trace' AND a.destination_type = 'prompt_version' AND a.destination_id GLOB ?`,
			[`${name.replace(/[*?[]/g, (c) => `[${c}]`)}/*`]
		))
			add('trace', String(t.destination_id).slice(name.length + 1), t);
		return { prompt, versions, uses };
	}
}
