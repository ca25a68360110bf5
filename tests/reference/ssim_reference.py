"""Independent reference values for tests/unit/training/metrics.test.ts.

Straight from Wang et al. 2004 ("Image quality assessment: from error visibility
to structural similarity") with numpy only: an 11x11 Gaussian window (sigma 1.5,
normalised to sum 1), K1 = 0.01, K2 = 0.03, population statistics, evaluated at
every window position lying wholly inside the image and averaged. That is what
skimage.metrics.structural_similarity(gaussian_weights=True, sigma=1.5,
use_sample_covariance=False, data_range=L) returns. Each window's statistics are
summed directly in 2-D (no separable filtering), unlike the TypeScript code.

The images are built exactly as the test builds them, from integer arithmetic
only, so both sides start from the same pixels. Run: python3 tests/reference/ssim_reference.py
"""
import numpy as np

W, H = 40, 32


def base_image(w=W, h=H):
    y, x = np.mgrid[0:h, 0:w]
    return (20 + 3 * x + 2 * y + 3 * ((7 * x + 13 * y) % 17)).astype(np.float64)


def noisy_image(base):
    # LCG (Numerical Recipes constants), seed 12345, one step per pixel in row-major order.
    state = 12345
    out = base.copy().ravel()
    for i in range(out.size):
        state = (1664525 * state + 1013904223) % 2**32
        out[i] = min(255, max(0, out[i] + (state * 61) // 2**32 - 30))
    return out.reshape(base.shape)


def contrast_image(base):
    return np.floor(3 * base / 4) + 30


def window(radius=5, sigma=1.5):
    k = np.arange(-radius, radius + 1, dtype=np.float64)
    g = np.exp(-(k[:, None] ** 2 + k[None, :] ** 2) / (2 * sigma**2))
    return g / g.sum()


def ssim(a, b, data_range=255.0):
    w = window()
    n = w.shape[0]
    h, wd = a.shape
    c1 = (0.01 * data_range) ** 2
    c2 = (0.03 * data_range) ** 2
    values = []
    for i in range(h - n + 1):
        for j in range(wd - n + 1):
            pa = a[i:i + n, j:j + n]
            pb = b[i:i + n, j:j + n]
            mu_a = np.sum(w * pa)
            mu_b = np.sum(w * pb)
            var_a = np.sum(w * (pa - mu_a) ** 2)
            var_b = np.sum(w * (pb - mu_b) ** 2)
            cov = np.sum(w * (pa - mu_a) * (pb - mu_b))
            values.append(((2 * mu_a * mu_b + c1) * (2 * cov + c2))
                          / ((mu_a**2 + mu_b**2 + c1) * (var_a + var_b + c2)))
    return float(np.mean(values))


def psnr(a, b, data_range=255.0):
    mse = np.mean((a - b) ** 2)
    return float(10 * np.log10(data_range**2 / mse))


if __name__ == '__main__':
    base = base_image()
    noisy = noisy_image(base)
    contrast = contrast_image(base)
    small_base = base[:11, :13]
    small_noisy = noisy[:11, :13]
    print(f'noisy pixel sum {noisy.sum():.0f}, contrast pixel sum {contrast.sum():.0f}')
    print(f'ssim(base, noisy)            = {ssim(base, noisy)!r}')
    print(f'ssim(base, contrast)         = {ssim(base, contrast)!r}')
    print(f'ssim(noisy, contrast)        = {ssim(noisy, contrast)!r}')
    print(f'ssim(base, noisy, L=100)     = {ssim(base, noisy, 100.0)!r}')
    print(f'ssim(base, noisy) 13x11 crop = {ssim(small_base, small_noisy)!r}')
    print(f'psnr(base, noisy)            = {psnr(base, noisy)!r}')
    print(f'psnr(base, contrast)         = {psnr(base, contrast)!r}')
    print(f'psnr(base, noisy, L=100)     = {psnr(base, noisy, 100.0)!r}')
