import { describe, expect, it } from 'vitest';
import { viewParam } from './view-type';

describe('viewParam', () => {
	it('keeps the three views and falls back to active for anything else', () => {
		expect([null, 'active', 'deleted', 'all', 'charts', 'ALL', ''].map(viewParam)).toEqual([
			'active',
			'active',
			'deleted',
			'all',
			'active',
			'active',
			'active'
		]);
	});
});
