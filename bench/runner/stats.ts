// Statistics over the bench's samples (medians, growth exponents) and how figures are printed.

export const median = (xs: number[]): number => {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
export const fmtS = (ms: number) => (ms / 1000).toFixed(2);
export const fmtMB = (bytes: number) => (bytes / 2 ** 20).toFixed(0);
export const fmtInt = (n: number) => n.toLocaleString('en-US');
export const log = (line: string) => process.stderr.write(`${line}\n`);

/** Slope of log(cost) over log(size) between two sizes: 1 is linear. */
function slope(
  from: { pods: number; ms: number } | undefined,
  to: { pods: number; ms: number } | undefined,
): number | undefined {
  if (!from || !to || from.pods === to.pods) return undefined;
  return Math.log(to.ms / from.ms) / Math.log(to.pods / from.pods);
}

/** Least-squares slope of log(cost) over log(size) across every size: one noisy size moves it less than a two-point slope. */
function fitted(points: { pods: number; ms: number }[]): number | undefined {
  if (points.length < 2) return undefined;
  const xs = points.map((p) => Math.log(p.pods));
  const ys = points.map((p) => Math.log(p.ms));
  const mx = xs.reduce((a, b) => a + b, 0) / xs.length;
  const my = ys.reduce((a, b) => a + b, 0) / ys.length;
  const sxx = xs.reduce((a, x) => a + (x - mx) ** 2, 0);
  return sxx === 0 ? undefined : xs.reduce((a, x, i) => a + (x - mx) * (ys[i] - my), 0) / sxx;
}

/** The slope fitted over every size, and the one between the two largest (where fixed costs weigh least, noise most). */
export function exponents(points: { pods: number; ms: number }[]): { overall?: number; top?: number } {
  return { overall: fitted(points), top: slope(points[points.length - 2], points[points.length - 1]) };
}

/** A growth exponent to two decimals, or n/a when there were too few sizes. */
export const fmtExponent = (x: number | undefined) => (x === undefined ? 'n/a' : x.toFixed(2));
/** The exponent fitted over every size / the one between the two largest. */
export const fmtExponents = (e: { overall?: number; top?: number }) =>
  `${fmtExponent(e.overall)} / ${fmtExponent(e.top)}`;
