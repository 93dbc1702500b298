/**
 * Chat messages out of span inputs and outputs, for the trace view's chat rendering and session
 * transcripts (mlflow-genai-formats.md §7): `mlflow.chat.messages` when a span has it, else
 * OpenAI chat (`{"messages": [...]}` in, `{"choices": [{"message"}]}` out), OpenTelemetry GenAI
 * messages (`[{"role", "parts": [{"type": "text", "content"}]}]`) and LangChain message dicts
 * (`{"type": "human", "content"}`). Shown as chat only when the inputs parse as messages.
 */

export interface ChatMessage {
	role: string;
	content: string;
}

type Dict = Record<string, unknown>;
const isDict = (v: unknown): v is Dict => !!v && typeof v === 'object' && !Array.isArray(v);

const LANGCHAIN_ROLES: Record<string, string> = { human: 'user', ai: 'assistant', system: 'system', tool: 'tool', function: 'tool' };

/** Message content: a string, or a list of parts whose text is joined. */
function contentText(v: unknown): string | null {
	if (typeof v === 'string') return v;
	if (Array.isArray(v)) {
		const texts = v.map((p) => (typeof p === 'string' ? p : isDict(p) ? (p.text ?? p.content ?? null) : null));
		if (texts.every((t) => typeof t === 'string')) return texts.join('');
	}
	return null;
}

function message(v: unknown): ChatMessage | null {
	if (!isDict(v)) return null;
	const role = typeof v.role === 'string' ? v.role : typeof v.type === 'string' ? LANGCHAIN_ROLES[v.type] : undefined;
	if (!role) return null;
	let content = contentText(v.content) ?? contentText(v.parts);
	if (content === null && Array.isArray(v.tool_calls)) content = JSON.stringify(v.tool_calls, null, 1);
	if (content === null && v.content === null) content = '';
	return content === null ? null : { role, content };
}

function messages(v: unknown): ChatMessage[] | null {
	if (!Array.isArray(v) || v.length === 0) return null;
	// LangChain chat models take a batch: [[messages]].
	const list = Array.isArray(v[0]) && v.length === 1 ? v[0] : v;
	const out = (list as unknown[]).map(message);
	return out.every((m): m is ChatMessage => m !== null) ? out : null;
}

function inputMessages(inputs: unknown): ChatMessage[] | null {
	if (isDict(inputs)) return messages(inputs.messages) ?? messages(inputs.input);
	return messages(inputs);
}

function outputMessages(outputs: unknown): ChatMessage[] | null {
	if (typeof outputs === 'string') return [{ role: 'assistant', content: outputs }];
	if (isDict(outputs)) {
		if (Array.isArray(outputs.choices)) {
			const out = outputs.choices.map((c) => (isDict(c) ? message(c.message) : null));
			if (out.every((m): m is ChatMessage => m !== null)) return out;
		}
		const one = message(outputs);
		if (one) return [one];
		if (Array.isArray(outputs.generations)) {
			const flat = (outputs.generations as unknown[]).flat();
			const texts = flat.map((g) => (isDict(g) ? (message(g.message)?.content ?? contentText(g.text)) : null));
			if (texts.length && texts.every((t): t is string => typeof t === 'string'))
				return texts.map((content) => ({ role: 'assistant', content }));
		}
		return messages(outputs.output) ?? messages(outputs.messages);
	}
	return messages(outputs);
}

/** The conversation a span holds, or null when its inputs are not chat messages. */
export function chatOf(inputs: unknown, outputs: unknown, attributes: Dict = {}): ChatMessage[] | null {
	const explicit = messages(attributes['mlflow.chat.messages']);
	if (explicit) return explicit;
	const asked = inputMessages(inputs);
	if (!asked) return null;
	const answered = outputs === undefined || outputs === null ? [] : outputMessages(outputs);
	return answered ? [...asked, ...answered] : asked;
}

/**
 * A request or response preview as a line of text: the last user message of a chat request, the
 * assistant's reply, a JSON string unquoted, a one-field object's value; else the preview itself.
 */
export function previewText(preview: string | null, side: 'request' | 'response'): string {
	if (!preview) return '';
	let v: unknown;
	try {
		v = JSON.parse(preview);
	} catch {
		return truncatedText(preview);
	}
	// A string output written as JSON twice ("\"text\"") is unquoted twice.
	if (typeof v === 'string') return v.startsWith('"') ? previewText(v, side) : v;
	const chat = side === 'request' ? inputMessages(v) : outputMessages(v);
	if (chat?.length) {
		const pick = side === 'request' ? [...chat].reverse().find((m) => m.role === 'user') : chat[chat.length - 1];
		if (pick) return pick.content;
	}
	if (isDict(v)) {
		const values = Object.values(v);
		if (values.length === 1 && typeof values[0] === 'string') return values[0];
	}
	return preview;
}

/** A JSON string literal's body (maybe cut short) as text. */
function literal(body: string): string {
	const whole = body.replace(/\\(u[0-9a-fA-F]{0,3})?$/, '');
	try {
		return JSON.parse(`"${whole}"`);
	} catch {
		return whole;
	}
}

/**
 * MLflow cuts previews to 1,000 characters, so a chat request's JSON often does not parse: the
 * text of its last `content` (or `text`) field is taken as far as it goes, and a cut JSON string
 * is unquoted. Anything else is shown as it is.
 */
function truncatedText(preview: string): string {
	const t = preview.trimStart();
	if (t.startsWith('"')) {
		const text = literal(/^"((?:[^"\\]|\\.)*)/.exec(t)![1]);
		return text.startsWith('"') ? truncatedText(text) : text;
	}
	if (!t.startsWith('{') && !t.startsWith('[')) return preview;
	let last: string | undefined;
	for (const m of t.matchAll(/"(?:content|text)"\s*:\s*"((?:[^"\\]|\\.)*)/g)) last = m[1];
	return last === undefined ? preview : literal(last);
}
