/**
 * A prompt template as the Prompts page shows it: text with its `{{ variable }}` placeholders
 * marked (MLflow's syntax, mlflow/prompt/constants.py PROMPT_TEMPLATE_VARIABLE_PATTERN), or a chat
 * prompt's messages each marked the same way; the variables, in order of first use.
 */
export type Segment = { text: string; variable?: string };

const VARIABLE = /\{\{\s*([\w.-]+)\s*\}\}/g;

export function segments(template: string): Segment[] {
	const out: Segment[] = [];
	let at = 0;
	for (const m of template.matchAll(VARIABLE)) {
		if (m.index > at) out.push({ text: template.slice(at, m.index) });
		out.push({ text: m[0], variable: m[1] });
		at = m.index + m[0].length;
	}
	if (at < template.length) out.push({ text: template.slice(at) });
	return out;
}

export function variables(template: string): string[] {
	return [...new Set([...template.matchAll(VARIABLE)].map((m) => m[1]))];
}

/** A chat prompt's messages, or null when the template is not a JSON list of {role, content}. */
export function chatMessages(template: string): { role: string; content: string }[] | null {
	try {
		const v = JSON.parse(template);
		if (Array.isArray(v) && v.length && v.every((m) => m && typeof m.role === 'string' && typeof m.content === 'string')) return v;
	} catch {
		// Text templates are not JSON.
	}
	return null;
}

export type DiffLine = { kind: 'same' | 'added' | 'removed'; text: string };

/**
 * A line diff of two templates (longest common subsequence; templates are short). Lines are what
 * users edit in a prompt, and a line diff reads like a commit's.
 */
export function lineDiff(before: string, after: string): DiffLine[] {
	const a = before.split('\n');
	const b = after.split('\n');
	// LCS lengths from the end, in one flat array.
	const w = b.length + 1;
	const lcs = new Uint32Array((a.length + 1) * w);
	for (let i = a.length - 1; i >= 0; i--)
		for (let j = b.length - 1; j >= 0; j--)
			lcs[i * w + j] = a[i] === b[j] ? lcs[(i + 1) * w + j + 1] + 1 : Math.max(lcs[(i + 1) * w + j], lcs[i * w + j + 1]);
	const out: DiffLine[] = [];
	let i = 0;
	let j = 0;
	while (i < a.length || j < b.length) {
		if (i < a.length && j < b.length && a[i] === b[j]) {
			out.push({ kind: 'same', text: a[i] });
			i++;
			j++;
		} else if (i < a.length && (j === b.length || lcs[(i + 1) * w + j] >= lcs[i * w + j + 1])) out.push({ kind: 'removed', text: a[i++] });
		else out.push({ kind: 'added', text: b[j++] });
	}
	return out;
}
