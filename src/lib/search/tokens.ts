/**
 * Tokens of MLflow's search language (a small SQL subset that MLflow parses with sqlparse).
 * Every token keeps its source span so that errors can point at the offending text.
 */
export type TokenKind = 'word' | 'number' | 'string' | 'backtick' | 'dot' | 'comma' | 'lparen' | 'rparen' | 'op' | 'semicolon' | 'invalid';

export interface Token {
	kind: TokenKind;
	/** The text as written (quotes included). */
	text: string;
	/** For strings and backticks: the content without quotes. */
	value: string;
	start: number;
	end: number;
}

const OPERATORS = ['!=', '<>', '<=', '>=', '==', '~=', '=', '<', '>', '~'];
const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?/;
const WORD = /^[A-Za-z_][A-Za-z0-9_]*/;

export function tokenize(text: string): Token[] {
	const out: Token[] = [];
	let i = 0;
	const push = (kind: TokenKind, end: number, value = text.slice(i, end)) => {
		out.push({ kind, text: text.slice(i, end), value, start: i, end });
		i = end;
	};
	while (i < text.length) {
		const c = text[i];
		if (/\s/.test(c)) {
			i++;
			continue;
		}
		if (c === "'" || c === '"' || c === '`') {
			// SQL quoting: a doubled quote inside stands for one quote.
			let j = i + 1;
			let value = '';
			for (;;) {
				const k = text.indexOf(c, j);
				if (k === -1) {
					push('invalid', text.length);
					return out;
				}
				value += text.slice(j, k);
				if (text[k + 1] === c) {
					value += c;
					j = k + 2;
					continue;
				}
				j = k + 1;
				break;
			}
			push(c === '`' ? 'backtick' : 'string', j, value);
			continue;
		}
		const rest = text.slice(i);
		const previous = out[out.length - 1];
		// A sign belongs to a number only where a value can start (after an operator, '(' or ',').
		const signAllowed = !previous || previous.kind === 'op' || previous.kind === 'lparen' || previous.kind === 'comma';
		const number = NUMBER.exec(rest);
		if (number && (signAllowed || (c !== '-' && c !== '+'))) {
			push('number', i + number[0].length);
			continue;
		}
		const word = WORD.exec(rest);
		if (word) {
			push('word', i + word[0].length);
			continue;
		}
		const op = OPERATORS.find((o) => rest.startsWith(o));
		if (op) {
			push('op', i + op.length);
			continue;
		}
		const single: Record<string, TokenKind> = { '.': 'dot', ',': 'comma', '(': 'lparen', ')': 'rparen', ';': 'semicolon' };
		push(single[c] ?? 'invalid', i + 1);
	}
	return out;
}
