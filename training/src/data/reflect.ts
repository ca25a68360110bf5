/**
 * Maps any index onto 0..n-1 by half-sample symmetric reflection (d c b a | a b c d),
 * scipy.ndimage's 'reflect' mode. The edge pixel is repeated so that the even
 * periodic extension it defines makes symmetric filters preserve the image mean.
 * Works for offsets of any size (period 2n), so tiny images with big kernels are fine.
 */
export function reflectIndex(i: number, n: number): number {
  const period = 2 * n;
  let j = i % period;
  if (j < 0) j += period;
  return j < n ? j : period - 1 - j;
}
