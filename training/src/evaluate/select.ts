/**
 * The k-th smallest of values[0..n-1] (k from 0) by Hoare quickselect, reordering
 * values in place. Median filters call this once per pixel on a scratch buffer,
 * where a full sort would be several times slower.
 */
export function selectKth(values: Float64Array, n: number, k: number): number {
  let lo = 0;
  let hi = n - 1;
  while (hi > lo) {
    const a = values[lo];
    const b = values[(lo + hi) >> 1];
    const c = values[hi];
    // Median-of-three keeps ramps and flat windows (common in images) from going quadratic.
    const pivot = a < b ? (b < c ? b : a < c ? c : a) : a < c ? a : b < c ? c : b;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (values[i] < pivot) i += 1;
      while (values[j] > pivot) j -= 1;
      if (i <= j) {
        const t = values[i];
        values[i] = values[j];
        values[j] = t;
        i += 1;
        j -= 1;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return values[k];
  }
  return values[k];
}
