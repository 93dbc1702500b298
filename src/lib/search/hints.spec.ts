import { describe, expect, it } from 'vitest';
import { parseFilter } from './parse';
import { unknownKeyHints } from './hints';

const known = { metrics: ['val_accuracy', 'val_loss', 'train/loss'], params: ['learning_rate', 'batch_size'], tags: ['team'] };

describe('unknown key hints', () => {
	it.each([
		['metrics.val_acuracy > 0.9', ['No run has metric `val_acuracy`; did you mean `val_accuracy`?']],
		['params.Learning_Rate = "0.1"', ['No run has param `Learning_Rate`; did you mean `learning_rate`?']],
		['metrics.f1 > 0.5', ['No run has metric `f1`.']],
		["tags.teem = 'x' and metrics.val_loss < 1", ['No run has tag `teem`; did you mean `team`?']],
		['metrics.val_loss < 1 and params.batch_size = "64"', []],
		['tags.owner IS NULL', []],
		['attributes.status = "FINISHED"', []]
	])('%s', (filter, want) => {
		expect(unknownKeyHints(parseFilter('runs', filter), known)).toEqual(want);
	});
});
