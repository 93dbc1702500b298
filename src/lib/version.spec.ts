import { expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { TRACKSIDE_VERSION } from './version';

it('is the version in package.json', () => {
	expect(TRACKSIDE_VERSION).toBe(JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')).version);
});
