import { describe, expect, it } from 'vitest';
import { chatMessages, lineDiff, segments, variables } from './template';

describe('prompt templates', () => {
	it('marks {{ variables }}, with or without spaces, and lists them once in order', () => {
		expect(segments('Answer {{question}} for {{ user.name }}, {{question}}!')).toEqual([
			{ text: 'Answer ' },
			{ text: '{{question}}', variable: 'question' },
			{ text: ' for ' },
			{ text: '{{ user.name }}', variable: 'user.name' },
			{ text: ', ' },
			{ text: '{{question}}', variable: 'question' },
			{ text: '!' }
		]);
		expect(variables('Answer {{question}} for {{ user.name }}, {{question}}!')).toEqual(['question', 'user.name']);
		expect(segments('no variables, {single} braces')).toEqual([{ text: 'no variables, {single} braces' }]);
	});

	it('reads chat prompts, and only them', () => {
		expect(chatMessages('[{"role": "system", "content": "be {{tone}}"}]')).toEqual([{ role: 'system', content: 'be {{tone}}' }]);
		expect(chatMessages('[1, 2]')).toBeNull();
		expect(chatMessages('Answer: {{q}}')).toBeNull();
	});

	it.each([
		['a\nb\nc', 'a\nB\nc', ['  a', '- b', '+ B', '  c']],
		['', 'x', ['- ', '+ x']],
		['same', 'same', ['  same']],
		['a\nb', 'b\nc', ['- a', '  b', '+ c']]
	])('diffs %j -> %j by line', (a, b, want) => {
		expect(lineDiff(a, b).map((l) => `${l.kind === 'same' ? ' ' : l.kind === 'added' ? '+' : '-'} ${l.text}`)).toEqual(want);
	});
});
