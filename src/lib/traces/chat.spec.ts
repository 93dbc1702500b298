import { describe, expect, it } from 'vitest';
import { chatOf, previewText } from './chat';

describe('chatOf', () => {
	it.each([
		[
			'OpenAI chat',
			{
				messages: [
					{ role: 'system', content: 'be brief' },
					{ role: 'user', content: 'hi' }
				]
			},
			{ choices: [{ message: { role: 'assistant', content: 'hello' } }] },
			['system: be brief', 'user: hi', 'assistant: hello']
		],
		[
			'OpenTelemetry GenAI parts',
			[{ role: 'user', parts: [{ type: 'text', content: 'What is 2+2?' }] }],
			[{ role: 'assistant', parts: [{ type: 'text', content: '4' }] }],
			['user: What is 2+2?', 'assistant: 4']
		],
		[
			'LangChain message dicts, batched',
			[[{ type: 'human', content: 'q' }]],
			{ generations: [[{ text: 'a' }]] },
			['user: q', 'assistant: a']
		],
		[
			'content parts',
			{
				messages: [
					{
						role: 'user',
						content: [
							{ type: 'text', text: 'a' },
							{ type: 'text', text: 'b' }
						]
					}
				]
			},
			'ok',
			['user: ab', 'assistant: ok']
		]
	])('%s', (_, inputs, outputs, want) => {
		expect(chatOf(inputs, outputs)?.map((m) => `${m.role}: ${m.content}`)).toEqual(want);
	});

	it.each([
		['plain kwargs', { question: 'What is Spark?' }],
		['a string', 'hello'],
		['messages that are not messages', { messages: [{ foo: 1 }] }],
		['nothing', undefined]
	])('is null for %s', (_, inputs) => {
		expect(chatOf(inputs, 'x')).toBeNull();
	});

	it('prefers mlflow.chat.messages', () => {
		expect(chatOf({ a: 1 }, null, { 'mlflow.chat.messages': [{ role: 'user', content: 'x' }] })).toEqual([{ role: 'user', content: 'x' }]);
	});
});

describe('previewText', () => {
	it.each([
		['{"question": "What is Spark?"}', 'request', 'What is Spark?'],
		['"Spark is a framework."', 'response', 'Spark is a framework.'],
		['{"messages": [{"role": "system", "content": "s"}, {"role": "user", "content": "u"}]}', 'request', 'u'],
		['{"choices": [{"message": {"role": "assistant", "content": "a"}}]}', 'response', 'a'],
		// Cut at 1,000 characters by MLflow: not JSON any more.
		['{"messages": [{"content": "first"}, {"content": "sec\\u00e9ond is cu', 'request', 'secéond is cu'],
		['"### Title\\n\\nbody cut \\', 'response', '### Title\n\nbody cut '],
		['plain text', 'request', 'plain text'],
		['{"a": 1, "b": 2}', 'request', '{"a": 1, "b": 2}']
	] as const)('%s', (preview, side, want) => {
		expect(previewText(preview, side)).toBe(want);
	});
});
