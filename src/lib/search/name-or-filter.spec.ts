import { describe, expect, it } from 'vitest';
import { nameOrFilter } from './name-or-filter';
import { parseFilter } from './parse';

describe('nameOrFilter', () => {
	it('passes clauses through and turns words into a quoted name search', () => {
		expect(nameOrFilter("tags.team = 'cv'")).toBe("tags.team = 'cv'");
		expect(nameOrFilter('name LIKE "x%"')).toBe('name LIKE "x%"');
		expect(nameOrFilter('  ')).toBe('');
		const f = nameOrFilter("o'brien");
		expect(parseFilter('experiments', f)[0]).toMatchObject({ key: 'name', comparator: 'ILIKE', value: "%o'brien%" });
	});
});
