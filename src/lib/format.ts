/** Display formatting shared by pages. */
import type { JsonDouble } from './db/rest-types';

export function formatTime(ms: number | null | undefined): string {
	if (ms === null || ms === undefined) return '—';
	const d = new Date(ms);
	const pad = (n: number) => String(n).padStart(2, '0');
	return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

export function formatDuration(start: number | null | undefined, end: number | null | undefined): string {
	if (!start || !end || end < start) return '—';
	const s = (end - start) / 1000;
	if (s < 60) return `${s.toFixed(1)}s`;
	if (s < 3600) return `${Math.floor(s / 60)}m ${Math.round(s % 60)}s`;
	if (s < 86400) return `${Math.floor(s / 3600)}h ${Math.round((s % 3600) / 60)}m`;
	return `${Math.floor(s / 86400)}d ${Math.round((s % 86400) / 3600)}h`;
}

export function formatBytes(n: number | null | undefined): string {
	if (n === null || n === undefined) return '—';
	const units = ['B', 'KB', 'MB', 'GB', 'TB'];
	let i = 0;
	while (n >= 1000 && i < units.length - 1) {
		n /= 1000;
		i++;
	}
	return `${i === 0 ? n : n.toFixed(n < 10 ? 1 : 0)} ${units[i]}`;
}

export function formatNumber(v: JsonDouble | number | null | undefined): string {
	if (v === null || v === undefined) return '—';
	if (typeof v === 'string') return v;
	if (Number.isInteger(v)) return v.toLocaleString('en-US');
	const a = Math.abs(v);
	if (a !== 0 && (a < 1e-3 || a >= 1e6)) return v.toExponential(4);
	return String(Math.round(v * 1e5) / 1e5);
}

export function shortId(id: string): string {
	return id.slice(0, 8);
}

/** A duration in ms as a trace list shows it: 850 ms, 1.24 s, 2m 5s. */
export function formatMs(ms: number | null | undefined): string {
	if (ms === null || ms === undefined || !Number.isFinite(ms)) return '—';
	if (ms < 1) return `${Math.round(ms * 1000)} µs`;
	if (ms < 1000) return `${Math.round(ms)} ms`;
	if (ms < 60_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
	return formatDuration(0.001, 0.001 + ms);
}

/** US dollars as MLflow's cost fields hold them; small amounts keep their significant digits. */
export function formatCost(usd: number | null | undefined): string {
	if (usd === null || usd === undefined) return '—';
	return usd >= 1 ? `$${usd.toFixed(2)}` : `$${Number(usd.toPrecision(3))}`;
}
