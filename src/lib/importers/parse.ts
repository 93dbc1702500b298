/** Parsers for the small files of MLflow's FileStore: YAML metas, value files, metric lines. */
import { parse as parseYaml } from 'yaml';
import type { Series } from '../db/series-codec';

const utf8 = new TextDecoder('utf-8');

/** A value file (param, tag): UTF-8, CRLF from Windows checkouts folded to LF. */
export function textValue(bytes: Uint8Array): string {
	let s = utf8.decode(bytes);
	if (s.charCodeAt(0) === 0xfeff) s = s.slice(1);
	return s.includes('\r') ? s.replace(/\r\n/g, '\n') : s;
}

export class MetaError extends Error {}

/**
 * Parses a meta.yaml. Integers are read as BigInt first: an unquoted 18-digit experiment id would
 * otherwise lose digits as a JS number. Safe integers become numbers, larger ones strings.
 */
export function parseMeta(bytes: Uint8Array): Record<string, unknown> {
	let doc: unknown;
	try {
		doc = parseYaml(textValue(bytes), { intAsBigInt: true });
	} catch (e) {
		throw new MetaError(`malformed YAML (${(e as Error).message.split('\n')[0]})`);
	}
	if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) throw new MetaError('not a YAML mapping');
	return unBigInt(doc) as Record<string, unknown>;
}

function unBigInt(v: unknown): unknown {
	if (typeof v === 'bigint') {
		return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v.toString();
	}
	if (Array.isArray(v)) return v.map(unBigInt);
	if (v && typeof v === 'object') {
		const out: Record<string, unknown> = {};
		for (const [k, x] of Object.entries(v)) out[k] = unBigInt(x);
		return out;
	}
	return v;
}

export function str(v: unknown): string | null {
	if (v === null || v === undefined) return null;
	return String(v);
}

export function num(v: unknown): number | null {
	if (v === null || v === undefined || v === '') return null;
	const n = Number(v);
	return Number.isFinite(n) ? n : null;
}

/** How a meta field's value is read: as text, or as a time in ms since the epoch. */
export type FieldKind = 'text' | 'time';

/**
 * A meta field checked for its type: the value, or null when absent or unusable, with `bad` set to
 * why (a mapping where text belongs, `start_time: yesterday`, a negative time), for the report.
 */
export function field(v: unknown, kind: FieldKind): { value: string | number | null; bad?: string } {
	if (v === null || v === undefined || v === '') return { value: null };
	const shown = typeof v === 'object' ? JSON.stringify(v).slice(0, 80) : String(v).slice(0, 80);
	if (typeof v === 'object') return { value: null, bad: `${shown} is a ${Array.isArray(v) ? 'list' : 'mapping'}, not a value` };
	if (kind === 'text') return { value: String(v) };
	const n = Number(v);
	if (!Number.isSafeInteger(n) || n < 0) return { value: null, bad: `"${shown}" is not a time` };
	return { value: n };
}

export interface ParsedMetricLines {
	series: Series;
	/** Logged-model metric lines carry the run id as a 4th field. */
	runIds: (string | null)[] | null;
	badLines: number;
}

/**
 * Parses a FileStore metric file: one point per line, `<timestamp_ms> <value> [<step> [<run_id>]]`.
 * Hot path of an mlruns import (millions of lines): it scans the decoded string by char code
 * instead of splitting, and converts only the value token with Number(). Lines without a step
 * (MLflow before 1.0) get step 0; `nan`, `inf`, `-inf` are MLflow's spellings of non-finite values.
 */
export function parseMetricLines(bytes: Uint8Array, withRunIds = false): ParsedMetricLines {
	if (bytes.length <= METRIC_CHUNK) return parseMetricText(utf8.decode(bytes), withRunIds);
	// A file past what one string can hold (V8: ~512 MB) is parsed in pieces cut at line ends.
	const parts: ParsedMetricLines[] = [];
	for (let start = 0; start < bytes.length;) {
		let end = Math.min(bytes.length, start + METRIC_CHUNK);
		if (end < bytes.length) end = bytes.lastIndexOf(10, end - 1) + 1 || end;
		parts.push(parseMetricText(utf8.decode(bytes.subarray(start, end)), withRunIds));
		start = end;
	}
	const n = parts.reduce((k, p) => k + p.series.values.length, 0);
	const series = { steps: new Float64Array(n), timestamps: new Float64Array(n), values: new Float64Array(n) };
	let at = 0;
	for (const p of parts) {
		series.steps.set(p.series.steps, at);
		series.timestamps.set(p.series.timestamps, at);
		series.values.set(p.series.values, at);
		at += p.series.values.length;
	}
	return { series, runIds: withRunIds ? parts.flatMap((p) => p.runIds!) : null, badLines: parts.reduce((k, p) => k + p.badLines, 0) };
}

/** Bytes of a metric file parsed at a time: far under V8's string limit. */
export const METRIC_CHUNK = 64 << 20;

function parseMetricText(text: string, withRunIds: boolean): ParsedMetricLines {
	const len = text.length;
	let lines = 1;
	for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) lines++;
	const steps = new Float64Array(lines);
	const timestamps = new Float64Array(lines);
	const values = new Float64Array(lines);
	const runIds: (string | null)[] | null = withRunIds ? [] : null;
	let n = 0;
	let bad = 0;
	let i = 0;
	while (i < len) {
		let end = text.indexOf('\n', i);
		if (end === -1) end = len;
		let lineEnd = end;
		if (lineEnd > i && text.charCodeAt(lineEnd - 1) === 13) lineEnd--;
		if (lineEnd > i) {
			// field 1: timestamp (integer)
			let p = i;
			const t = readInt(text, p, lineEnd);
			p = intEnd;
			const afterTs = p;
			while (p < lineEnd && text.charCodeAt(p) === 32) p++;
			const vStart = p;
			while (p < lineEnd && text.charCodeAt(p) !== 32) p++;
			const v = metricValue(text.slice(vStart, p));
			while (p < lineEnd && text.charCodeAt(p) === 32) p++;
			let step = 0;
			let ok = afterTs > i && p - vStart > 0 && !Number.isNaN(t) && v !== undefined;
			if (p < lineEnd) {
				step = readInt(text, p, lineEnd);
				if (Number.isNaN(step)) ok = false;
				p = intEnd;
			}
			if (ok) {
				timestamps[n] = t;
				values[n] = v as number;
				steps[n] = step;
				if (runIds) {
					while (p < lineEnd && text.charCodeAt(p) === 32) p++;
					runIds.push(p < lineEnd ? text.slice(p, lineEnd) : null);
				}
				n++;
			} else bad++;
		}
		i = end + 1;
	}
	return {
		series: { steps: steps.subarray(0, n), timestamps: timestamps.subarray(0, n), values: values.subarray(0, n) },
		runIds,
		badLines: bad
	};
}

let intEnd = 0;
/** Reads an optionally negative decimal integer at p; sets intEnd; NaN when there are no digits. */
function readInt(s: string, p: number, end: number): number {
	let neg = false;
	if (s.charCodeAt(p) === 45) {
		neg = true;
		p++;
	}
	const start = p;
	let v = 0;
	for (; p < end; p++) {
		const c = s.charCodeAt(p) - 48;
		if (c < 0 || c > 9) break;
		v = v * 10 + c;
	}
	// Some writers put a float timestamp ("1.6e12" or "123.0"); accept it through Number().
	if (p < end && s.charCodeAt(p) !== 32) {
		let q = p;
		while (q < end && s.charCodeAt(q) !== 32) q++;
		const f = Number(s.slice(neg ? start - 1 : start, q));
		intEnd = q;
		return Number.isFinite(f) ? Math.trunc(f) : NaN;
	}
	intEnd = p;
	if (p === start) return NaN;
	return neg ? -v : v;
}

function metricValue(token: string): number | undefined {
	const v = Number(token);
	if (!Number.isNaN(v) || token === 'NaN') return v;
	switch (token.toLowerCase()) {
		case 'nan':
			return NaN;
		case 'inf':
		case '+inf':
		case 'infinity':
			return Infinity;
		case '-inf':
		case '-infinity':
			return -Infinity;
	}
	return undefined;
}
