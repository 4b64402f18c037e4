/** Reading Prometheus text exposition, for the tests and the bench. Pure. */

/** The value of `series` (a name with its labels, as the text writes it) in Prometheus text; NaN when absent. Pure. */
export function sampleOf(text: string, series: string): number {
  const line = text.split("\n").find((l) => l.startsWith(`${series} `));
  return line === undefined ? NaN : Number(line.slice(series.length + 1));
}
