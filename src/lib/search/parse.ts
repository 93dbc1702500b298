/**
 * MLflow's filter_string and order_by grammar (see ../shared/docs/search-filter-vectors.md):
 * `<type>.<key> <op> <value>` clauses joined by AND, no OR, no parentheses. The checks run in
 * MLflow's order, and the messages are MLflow's, with the span of the offending text added.
 */
import { UserError } from '../errors';
import {
	ENTITY_ALIASES,
	ENTITY_COMPARATORS,
	GRAMMARS,
	type AttributeSpec,
	type EntityType,
	type KindGrammar,
	type SearchKind
} from './grammar';
import { tokenize, type Token } from './tokens';

export interface Clause {
	type: EntityType;
	key: string;
	comparator: string;
	/** Numbers stay strings, as in MLflow's parse result; a list for IN; null for IS [NOT] NULL. */
	value: string | string[] | null;
	/** Set for attributes: whether the attribute compares as a number. */
	numeric?: boolean;
	start: number;
	end: number;
}

export interface OrderBy {
	type: EntityType;
	key: string;
	ascending: boolean;
}

/** A filter or order_by that does not parse: MLflow's message, and (in details) the span it is about. */
export class SearchError extends UserError {
	declare readonly details: { start: number; end: number; field: 'filter' | 'order_by' };
	constructor(
		message: string,
		readonly start: number,
		readonly end: number
	) {
		super(message, 'search', { start, end, field: 'filter' });
		this.name = 'SearchError';
	}

	/** Which text the span is in: the filter string or an order_by clause. */
	get field(): 'filter' | 'order_by' {
		return this.details.field;
	}
	set field(field: 'filter' | 'order_by') {
		this.details.field = field;
	}
}

const KEYWORDS = new Set(['and', 'or', 'not', 'in', 'is', 'null', 'like', 'ilike', 'true', 'false']);
const isWord = (t: Token | undefined, w: string) => t?.kind === 'word' && t.text.toLowerCase() === w;

export function parseFilter(kind: SearchKind, filter: string | null | undefined): Clause[] {
	const text = filter ?? '';
	if (text.trim() === '') return [];
	const tokens = tokenize(text);
	const invalid = () => new SearchError(`Invalid clause(s) in filter string: '${text}'`, 0, text.length);
	const statements = splitOn(tokens, (t) => t.kind === 'semicolon').filter((s) => s.length > 0);
	if (statements.length > 1) throw new SearchError(`Search filter contained multiple expression '${text}'`, 0, text.length);
	if (tokens.some((t) => t.kind === 'invalid')) throw invalid();
	const grammar = GRAMMARS[kind];
	// Structure first (sqlparse's grouping), then each comparison, as MLflow does.
	const shapes = splitOn(statements[0] ?? [], (t) => isWord(t, 'and')).map((c) => {
		const shape = clauseShape(c);
		if (!shape) throw invalid();
		return shape;
	});
	return shapes.map((s) => resolveClause(grammar, s));
}

interface ClauseShape {
	left: Token[];
	comparator: string;
	comparatorToken: Token;
	right: Token[];
	start: number;
	end: number;
}

function splitOn(tokens: Token[], isSeparator: (t: Token) => boolean): Token[][] {
	const out: Token[][] = [[]];
	for (const t of tokens) {
		if (isSeparator(t)) out.push([]);
		else out[out.length - 1].push(t);
	}
	return out;
}

/** An identifier: a word, number or quoted part, then `.part` any number of times. */
function identifierLength(tokens: Token[], at: number): number {
	const part = (t: Token | undefined) => !!t && (t.kind === 'word' || t.kind === 'backtick' || t.kind === 'string' || t.kind === 'number');
	if (!part(tokens[at]) || tokens[at].kind === 'string') {
		// A leading number is still "an identifier position" for MLflow's error message.
		if (!(tokens[at]?.kind === 'number')) return 0;
	}
	let n = 1;
	while (tokens[at + n]?.kind === 'dot' && part(tokens[at + n + 1])) n += 2;
	return n;
}

function clauseShape(c: Token[]): ClauseShape | undefined {
	if (c.length === 0) return undefined;
	const leftLength = identifierLength(c, 0);
	if (leftLength === 0) return undefined;
	const left = c.slice(0, leftLength);
	if (left.some((t) => t.kind === 'word' && KEYWORDS.has(t.text.toLowerCase()))) return undefined;
	let i = leftLength;
	const op = c[i];
	if (!op) return undefined;
	let comparator: string;
	if (op.kind === 'op') {
		comparator = op.text;
		i++;
	} else if (isWord(op, 'like') || isWord(op, 'ilike')) {
		comparator = op.text.toUpperCase();
		i++;
	} else if (isWord(op, 'in')) {
		comparator = 'IN';
		i++;
	} else if (isWord(op, 'not') && isWord(c[i + 1], 'in')) {
		comparator = 'NOT IN';
		i += 2;
	} else if (isWord(op, 'is') && isWord(c[i + 1], 'null') && c.length === i + 2) {
		return { left, comparator: 'IS NULL', comparatorToken: op, right: [], start: c[0].start, end: c[i + 1].end };
	} else if (isWord(op, 'is') && isWord(c[i + 1], 'not') && isWord(c[i + 2], 'null') && c.length === i + 3) {
		return { left, comparator: 'IS NOT NULL', comparatorToken: op, right: [], start: c[0].start, end: c[i + 2].end };
	} else return undefined;
	const rest = c.slice(i);
	if (comparator === 'IN' || comparator === 'NOT IN') {
		if (rest[0]?.kind !== 'lparen' || rest[rest.length - 1].kind !== 'rparen') return undefined;
	} else {
		const valueLength = rest[0]?.kind === 'string' ? 1 : identifierLength(rest, 0);
		if (valueLength === 0 || valueLength !== rest.length) return undefined;
		if (rest[0].kind === 'word' && KEYWORDS.has(rest[0].text.toLowerCase())) return undefined;
	}
	return { left, comparator, comparatorToken: op, right: rest, start: c[0].start, end: c[c.length - 1].end };
}

const spanText = (tokens: Token[]) => tokens.map((t) => t.text).join('');

interface Identifier {
	type: EntityType;
	key: string;
	attribute?: AttributeSpec;
}

function resolveIdentifier(grammar: KindGrammar, left: Token[], forOrderBy = false): Identifier {
	const start = left[0].start;
	const end = left[left.length - 1].end;
	const fail = (m: string) => new SearchError(m, start, end);
	const aliases = grammar.aliases ?? ENTITY_ALIASES;
	const validTypes = [
		...new Set(
			Object.entries(aliases)
				.filter(([, t]) => grammar.entities.includes(t))
				.map(([a]) => a)
		)
	];
	const attributes = forOrderBy ? grammar.orderKeys : grammar.attributes;
	const attribute = (key: string): Identifier => {
		const spec = attributes[key];
		if (!spec) {
			const valid = [...new Set(Object.values(attributes).map((a) => a.key))];
			throw fail(`Invalid attribute key '${key}' specified. Valid keys are '${JSON.stringify(valid)}'`);
		}
		return { type: 'attribute', key: spec.key, attribute: spec };
	};
	if (left.length === 1) {
		const only = left[0];
		if (only.kind === 'number') throw fail(`Expected 'Identifier' found '${only.text}'`);
		// A whole `type.key` in one pair of backticks is one identifier whose type part is "`type".
		if (only.kind === 'backtick' && only.value.includes('.')) {
			throw fail(`Invalid entity type '${only.text.split('.')[0]}'. Valid values are ${JSON.stringify(validTypes)}`);
		}
		return attribute(only.value);
	}
	if (left[0].kind === 'number') throw fail(`Expected 'Identifier' found '${spanText(left)}'`);
	const typeName = left[0].value;
	const type = Object.hasOwn(aliases, typeName) && grammar.entities.includes(aliases[typeName]) ? aliases[typeName] : undefined;
	if (!type || (forOrderBy && type === 'dataset')) {
		throw fail(`Invalid entity type '${typeName}'. Valid values are ${JSON.stringify(validTypes)}`);
	}
	// The key is everything after the first dot; quoted parts lose their quotes.
	const key = left
		.slice(2)
		.filter((t) => t.kind !== 'dot')
		.map((t) => t.value)
		.join('.');
	if (type === 'attribute') return attribute(key);
	if (type === 'dataset' && !grammar.datasetKeys?.includes(key)) {
		throw fail(`Invalid dataset key '${key}' specified. Valid keys are '${JSON.stringify(grammar.datasetKeys ?? [])}'`);
	}
	return { type, key };
}

const LABEL: Record<EntityType, string> = {
	metric: 'metric',
	parameter: 'param',
	tag: 'tag',
	attribute: 'attributes',
	dataset: 'dataset attributes',
	metadata: 'request_metadata',
	feedback: 'feedback',
	expectation: 'expectation'
};

function resolveClause(grammar: KindGrammar, s: ClauseShape): Clause {
	const id = resolveIdentifier(grammar, s.left);
	const valueStart = s.right[0]?.start ?? s.end;
	const fail = (m: string, start = valueStart, end = s.end) => new SearchError(m, start, end);
	const clause = (value: Clause['value']): Clause => ({
		type: id.type,
		key: id.key,
		comparator: s.comparator,
		value,
		...(id.attribute ? { numeric: id.attribute.numeric } : {}),
		start: s.start,
		end: s.end
	});

	if (s.comparator === 'IS NULL' || s.comparator === 'IS NOT NULL') {
		if (!grammar.nullable.includes(id.type)) {
			throw fail(`IS NULL / IS NOT NULL is only supported for ${grammar.nullableLabel}`, s.comparatorToken.start);
		}
		return clause(null);
	}

	const allowed = id.attribute?.comparators ?? ENTITY_COMPARATORS[id.type] ?? [];
	if (s.comparator === 'IN' || s.comparator === 'NOT IN') {
		if (id.type === 'attribute' && !allowed.includes('IN')) {
			throw fail(`Only the 'run_id' attribute supports comparison with a list of quoted string values.`, s.comparatorToken.start);
		}
		if (!allowed.includes(s.comparator)) throw invalidComparator(s, allowed);
		return clause(parseList(s.right));
	}

	const token = s.right[0];
	const raw = spanText(s.right);
	const quoted = s.right.length === 1 && token.kind === 'string';
	const isNumber = s.right.length === 1 && token.kind === 'number';
	let value: string;
	if (id.type === 'metric' || id.attribute?.numeric) {
		if (!isNumber) {
			throw fail(
				id.type === 'metric'
					? `Expected numeric value type for metric. Found ${raw}`
					: `Expected numeric value type for numeric attribute: ${id.key}. Found ${raw}`
			);
		}
		value = token.text;
	} else {
		if (isNumber) throw fail(`Expected a quoted string value for ${LABEL[id.type]} (e.g. 'my-value'). Got value ${raw}`);
		if (!quoted) {
			throw fail(
				`Parameter value is either not quoted or unidentified quote types used for string value ${raw}. Use either single or double quotes.`
			);
		}
		value = token.value;
	}
	if (!allowed.includes(s.comparator)) throw invalidComparator(s, allowed);
	return clause(value);
}

function invalidComparator(s: ClauseShape, allowed: string[]): SearchError {
	return new SearchError(
		`Invalid comparator '${s.comparator}' not one of '${JSON.stringify(allowed)}'`,
		s.comparatorToken.start,
		s.comparatorToken.end
	);
}

function parseList(tokens: Token[]): string[] {
	const inner = tokens.slice(1, -1);
	const start = tokens[0].start;
	const end = tokens[tokens.length - 1].end;
	const bad = inner.find((t) => t.kind !== 'string' && t.kind !== 'comma');
	if (bad) {
		throw new SearchError(
			`While parsing a list in the query, expected string value, punctuation, or whitespace, but got different type in list: ${spanText(tokens)}`,
			bad.start,
			bad.end
		);
	}
	const values: string[] = [];
	let expectValue = true;
	for (const t of inner) {
		if ((t.kind === 'string') !== expectValue) {
			throw new SearchError(
				'While parsing a list in the query, expected a non-empty list of string values, but got ill-formed list.',
				start,
				end
			);
		}
		if (t.kind === 'string') values.push(t.value);
		expectValue = !expectValue;
	}
	if (values.length === 0 || expectValue) {
		throw new SearchError(
			'While parsing a list in the query, expected a non-empty list of string values, but got ill-formed list.',
			start,
			end
		);
	}
	return values;
}

/** One order_by clause: `<identifier> [ASC|DESC]`. */
export function parseOrderBy(kind: SearchKind, text: string): OrderBy {
	try {
		return orderByClause(kind, text);
	} catch (e) {
		if (e instanceof SearchError) e.field = 'order_by';
		throw e;
	}
}

function orderByClause(kind: SearchKind, text: string): OrderBy {
	const fail = (m: string) => new SearchError(m, 0, text.length);
	const invalid = () => fail(`Invalid order_by clause '${text}'. Could not be parsed.`);
	// MLflow refuses trailing whitespace but allows any run of spaces before ASC/DESC.
	if (text.trim() === '' || /\s$/.test(text)) throw invalid();
	const tokens = tokenize(text);
	if (tokens.some((t) => t.kind === 'invalid')) throw invalid();
	const n = identifierLength(tokens, 0);
	if (n === 0 || tokens.length > n + 1) throw invalid();
	let ascending = true;
	const direction = tokens[n];
	if (direction) {
		const word = direction.kind === 'word' ? direction.text.toLowerCase() : '';
		if (word === 'desc') ascending = false;
		else if (word !== 'asc') {
			// sqlparse reads TIMESTAMP as a keyword, so `timestamp decs` is no identifier at all.
			if (direction.kind !== 'word' || isWord(tokens[0], 'timestamp')) throw invalid();
			throw fail(`Invalid ordering key in order_by clause '${text}'.`);
		}
	}
	const id = resolveIdentifier(GRAMMARS[kind], tokens.slice(0, n), true);
	// Only runs sort by metrics, params and tags; the other searches sort by attributes alone.
	if (id.type === 'attribute' || kind === 'runs') return { type: id.type, key: id.key, ascending };
	throw invalid();
}
