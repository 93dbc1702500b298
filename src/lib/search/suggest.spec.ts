import { describe, expect, it } from 'vitest';
import { suggest, type SuggestContext } from './suggest';

const ctx: SuggestContext = {
	metrics: ['val/loss', 'val_acc', 'loss'],
	params: ['lr', 'optimizer'],
	tags: ['team'],
	values: (kind, key) => (kind === 'params' && key === 'optimizer' ? ['sgd', 'adam', "o'brien"] : [])
};
const labels = (text: string, caret = text.length) => suggest(text, caret, ctx).map((s) => s.label);
const apply = (text: string, i = 0) => {
	const s = suggest(text, text.length, ctx)[i];
	return text.slice(0, s.from) + s.insert;
};

describe('suggest', () => {
	it('completes entity prefixes and keys, quoting keys that need it', () => {
		expect(labels('metrics.v')).toEqual(['metrics.`val/loss`', 'metrics.val_acc']);
		expect(labels('par')).toEqual(['params.lr', 'params.optimizer']);
		expect(labels('loss')).toContain('metrics.loss');
		expect(apply("params.lr = '0.1' and metrics.val/")).toBe("params.lr = '0.1' and metrics.`val/loss` ");
	});
	it('offers known values after a comparator, quoted', () => {
		expect(labels('params.optimizer = ')).toEqual(['sgd', 'adam', "o'brien"]);
		expect(labels("params.optimizer = 'a")).toEqual(['adam']);
		expect(apply("params.optimizer = 'o")).toBe("params.optimizer = 'o''brien'");
	});
	it('offers nothing while a number is typed', () => {
		expect(labels('metrics.loss < 0.')).toEqual([]);
	});
});
