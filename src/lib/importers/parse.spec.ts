import { describe, expect, it } from 'vitest';
import { parseMeta, parseMetricLines, textValue } from './parse';

const enc = (s: string) => new TextEncoder().encode(s);
const parsed = (s: string) => {
	const p = parseMetricLines(enc(s), true);
	return {
		points: Array.from(p.series.values, (v, i) => [p.series.timestamps[i], v, p.series.steps[i]]),
		runIds: p.runIds,
		bad: p.badLines
	};
};

describe('metric lines', () => {
	it.each([
		['three fields', '1656994881659 0.5957 1\n', [[1656994881659, 0.5957, 1]]],
		['no trailing newline', '1 2 3', [[1, 2, 3]]],
		['two fields (MLflow < 1.0): step 0', '1530000000000 0.25\n', [[1530000000000, 0.25, 0]]],
		[
			'CRLF',
			'1 0.5 0\r\n2 0.25 1\r\n',
			[
				[1, 0.5, 0],
				[2, 0.25, 1]
			]
		],
		[
			'scientific and negative',
			'1 8.9989e-05 0\n2 -3.5 1\n',
			[
				[1, 8.9989e-5, 0],
				[2, -3.5, 1]
			]
		],
		[
			'nan and inf as MLflow writes them',
			'1 nan 0\n2 inf 1\n3 -inf 2\n',
			[
				[1, NaN, 0],
				[2, Infinity, 1],
				[3, -Infinity, 2]
			]
		],
		['blank lines', '\n1 1 1\n\n', [[1, 1, 1]]]
	] as [string, string, number[][]][])('%s', (_, text, expected) => {
		const p = parsed(text);
		expect(p.points).toEqual(expected);
		expect(p.bad).toBe(0);
	});

	it('reads the run id of logged-model metric lines (4th field)', () => {
		expect(parsed('1754666499595 356.68 0 548f11038477446eba9ec1cbe8164897\n').runIds).toEqual(['548f11038477446eba9ec1cbe8164897']);
	});

	it('counts malformed lines and keeps the good ones', () => {
		const p = parsed('1 0.5 0\ngarbage\n2 x 1\n3 0.25 2\n');
		expect(p.points).toEqual([
			[1, 0.5, 0],
			[3, 0.25, 2]
		]);
		expect(p.bad).toBe(2);
	});
});

describe('meta.yaml', () => {
	it('keeps 18-digit unquoted ids exact', () => {
		expect(parseMeta(enc('experiment_id: 977702991613526946\nname: x\n')).experiment_id).toBe('977702991613526946');
	});
	it('reads CRLF files', () => {
		expect(parseMeta(enc('name: a\r\nstatus: 3\r\n'))).toEqual({ name: 'a', status: 3 });
	});
	it('rejects malformed YAML with a reason', () => {
		expect(() => parseMeta(enc('name: [unclosed\n'))).toThrow(/malformed YAML/);
		expect(() => parseMeta(enc('- a list\n'))).toThrow(/not a YAML mapping/);
	});
	it('folds CRLF in value files and drops a BOM', () => {
		expect(textValue(enc('\ufeffa\r\nb'))).toBe('a\nb');
	});
});
