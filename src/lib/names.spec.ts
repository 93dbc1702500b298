import { describe, expect, it } from 'vitest';
import { unsafeName } from './names';

describe('unsafeName (MLflow path_not_unique, plus NUL and backslash)', () => {
	it.each([
		['loss', undefined],
		['train/loss', undefined],
		['metrics.val acc', undefined],
		['a..b', undefined],
		['..', 'it points outside its folder'],
		['../x', 'it points outside its folder'],
		['a/../../x', 'it points outside its folder'],
		['/etc/passwd', 'it points outside its folder'],
		['.', 'it points outside its folder'],
		['a/./b', 'it is not a plain path (it reads as "a/b")'],
		['a//b', 'it is not a plain path (it reads as "a/b")'],
		['a/', 'it is not a plain path (it reads as "a")'],
		['a\u0000b', 'it contains a NUL character'],
		['..\\..\\x', 'it contains a backslash, which some systems read as a folder separator']
	])('%j', (name, why) => expect(unsafeName(name)).toBe(why));
});
