import { describe, expect, it } from 'vitest';
import { logTickLabels } from './ticks';
import { labelledTicks, tickLabels } from './canvas';

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

describe('canvas tick labels', () => {
	it.each([
		[
			[6.4e-4, 6.45e-4, 6.5e-4],
			['6.40e-4', '6.45e-4', '6.50e-4']
		],
		[
			[0.1, 0.2, 0.3],
			['0.1', '0.2', '0.3']
		],
		[
			[1.00001, 1.00002, 1.00003],
			['1.00001', '1.00002', '1.00003']
		],
		[
			[2e6, 2.05e6, 2.1e6],
			['2.00e+6', '2.05e+6', '2.10e+6']
		]
	])('of %j are distinct: %j', (values, want) => {
		expect(tickLabels(values)).toEqual(want);
	});

	it('of any narrow range generated are distinct', () => {
		for (let i = 1; i < 200; i++) {
			const lo = Math.random() * 10 ** (Math.floor(Math.random() * 14) - 7);
			const ticks = labelledTicks(lo, lo * (1 + 10 ** -(1 + Math.floor(Math.random() * 6))), 5);
			expect(new Set(ticks.map((t) => t.label)).size, JSON.stringify(ticks)).toBe(new Set(ticks.map((t) => t.v)).size);
		}
	});
});
