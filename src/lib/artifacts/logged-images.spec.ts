import { describe, expect, it } from 'vitest';
import { imageAt, loggedImages, stepsOf } from './logged-images';

const file = (key: string, step: number, ts: number, uuid: string, compressed = false) =>
	`images/${key}%step%${step}%timestamp%${ts}%${uuid}${compressed ? '%compressed.webp' : '.png'}`;

describe('logged images', () => {
	it('reads keys, steps and their compressed copies from MLflow artifact paths; # in a key is /', () => {
		const paths = [
			file('samples', 2, 1002, 'u2'),
			file('samples', 2, 1002, 'u2', true),
			file('samples', 0, 1000, 'u0'),
			file('samples', 0, 1000, 'u0', true),
			file('eval#masks', 5, 1005, 'u5'),
			file('only-thumb', 1, 1001, 'u1', true),
			'images/plain.png',
			'model/MLmodel',
			'images/samples%step%x%timestamp%1%u.png'
		];
		const images = loggedImages(paths);
		expect([...images.keys()]).toEqual(['eval/masks', 'only-thumb', 'samples']);
		expect(images.get('samples')).toEqual([
			{ step: 0, timestamp: 1000, path: file('samples', 0, 1000, 'u0'), thumbnail: file('samples', 0, 1000, 'u0', true) },
			{ step: 2, timestamp: 1002, path: file('samples', 2, 1002, 'u2'), thumbnail: file('samples', 2, 1002, 'u2', true) }
		]);
		expect(images.get('eval/masks')![0].step).toBe(5);
		// A compressed copy alone stands in for its image.
		expect(images.get('only-thumb')![0].path).toBe(file('only-thumb', 1, 1001, 'u1', true));
	});

	it.each([
		[-1, undefined],
		[0, 0],
		[1, 0],
		[2, 2],
		[99, 2]
	])('at step %i shows the image of step %s (the last at or before it)', (step, want) => {
		const list = loggedImages([file('k', 0, 1, 'a'), file('k', 2, 3, 'b')]).get('k')!;
		expect(imageAt(list, step)?.step).toBe(want);
	});

	it('a step logged twice keeps both, in time order; the slider stops at every step of every run', () => {
		const a = loggedImages([file('k', 1, 20, 'late'), file('k', 1, 10, 'early'), file('k', 3, 30, 'c')]).get('k')!;
		expect(a.map((i) => i.timestamp)).toEqual([10, 20, 30]);
		expect(imageAt(a, 1)?.timestamp).toBe(20);
		const b = loggedImages([file('k', 0, 1, 'x'), file('k', 3, 2, 'y')]).get('k')!;
		expect(stepsOf([a, b])).toEqual([0, 1, 3]);
	});
});
