/** Metric summaries and whole histories (decoded series, see series-codec.ts). */
import { appendAll } from '../group';
import { decodeSeries, type Series } from './series-codec';
import { type SqlReader, inChunks } from './sql-reader';

export interface MetricRange {
	run_uuid: string;
	key: string;
	min: number | null;
	max: number | null;
}

export interface MetricKey {
	key: string;
	point_count: number;
	min: number | null;
	max: number | null;
	latest_only: 0 | 1;
}

export class MetricQueries {
	constructor(private readonly r: SqlReader) {}

	/** A run's metric keys with their summaries; `latest_only` = 1 when only the latest value was imported. */
	metricKeys(runId: string): MetricKey[] {
		return this.r.all(
			`SELECT key, point_count, min_value AS min, max_value AS max, latest_only FROM metric_series
			WHERE run_uuid = ? ORDER BY key`,
			[runId]
		) as unknown as MetricKey[];
	}

	/** Every metric key any of the runs logged, sorted: a comparison's charts, one per key. */
	metricKeysOf(runIds: string[]): string[] {
		const keys: string[] = [];
		this.r.each(
			'SELECT DISTINCT key FROM metric_series WHERE run_uuid IN (SELECT value FROM json_each(?)) ORDER BY key',
			[JSON.stringify(runIds)],
			(r) => void keys.push(r[0] as string)
		);
		return keys;
	}

	/** Min and max of every metric of an experiment's runs, for tables that show them instead of the latest. */
	metricRanges(experimentId: string): MetricRange[] {
		return this.r.all(
			`SELECT s.run_uuid, s.key, s.min_value AS min, s.max_value AS max FROM metric_series s
			JOIN runs r ON r.run_uuid = s.run_uuid WHERE r.experiment_id = ?`,
			[experimentId]
		) as unknown as MetricRange[];
	}

	/** Every metric history of a run, by key: one query for a run page's charts. */
	metricHistories(runId: string): Record<string, Series> {
		const out: Record<string, Series> = {};
		for (const r of this.r.all('SELECT key, points FROM metric_series WHERE run_uuid = ? ORDER BY key', [runId])) {
			out[r.key as string] = decodeSeries(r.points as Uint8Array);
		}
		return out;
	}

	/** One metric's history for each of many runs (those that logged it): a comparison chart's data. */
	metricSeries(runIds: string[], key: string): Record<string, Series> {
		const out: Record<string, Series> = {};
		inChunks(runIds, (chunk, marks) => {
			for (const r of this.r.all(`SELECT run_uuid, points FROM metric_series WHERE key = ? AND run_uuid IN (${marks})`, [key, ...chunk])) {
				out[r.run_uuid as string] = decodeSeries(r.points as Uint8Array);
			}
		});
		return out;
	}

	/** Min, max and point count of every metric of the given runs (latest values come with the runs). */
	metricSummaries(runIds: string[]): (MetricRange & { point_count: number })[] {
		const out: (MetricRange & { point_count: number })[] = [];
		inChunks(runIds, (chunk, marks) => {
			appendAll(
				out,
				this.r.all(
					`SELECT run_uuid, key, min_value AS min, max_value AS max, point_count FROM metric_series WHERE run_uuid IN (${marks})`,
					chunk
				) as unknown as (MetricRange & { point_count: number })[]
			);
		});
		return out;
	}

	/** The whole history of one metric, sorted by (step, timestamp). */
	metricHistory(runId: string, key: string): Series | undefined {
		const r = this.r.all('SELECT points FROM metric_series WHERE run_uuid = ? AND key = ?', [runId, key])[0];
		return r ? decodeSeries(r.points as Uint8Array) : undefined;
	}
}
