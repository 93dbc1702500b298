import { describe, expect, it } from 'vitest';
import { logTickLabels } from './ticks';

describe('logTickLabels', () => {
	it('labels small and large decades in exponent form, others as plain numbers', () => {
		expect(logTickLabels(null, [1e-4, 0.001, 0.01, 0.1, 1, 10, 1e6, 2.5e7])).toEqual([
			'1e-4',
			'0.001',
			'0.01',
			'0.1',
			'1',
			'10',
			'1e+6',
			'2.5e+7'
		]);
	});
});
