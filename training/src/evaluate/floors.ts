import type { ArchitectureId } from '../model/architecture';

/**
 * PSNR floors (dB) from the training issue, per condition id. The default
 * model must also not fall below the best classical baseline's SSIM.
 * `null`: reported only.
 */
export const PSNR_FLOORS: Readonly<Record<'default' | 'paper', Readonly<Record<string, number | null>>>> = {
  default: {
    'gaussian-40': 32.5,
    'gaussian-50': 31.3,
    'gaussian-60': 30.1,
    'gaussian-70': 28.9,
    'salt-pepper-0.99': 45.2,
    'salt-pepper-0.97': 44.5,
    'salt-pepper-0.95': 43.8,
    'salt-pepper-0.93': 42.8,
    'mixed-50-0.97': 30.9,
    'mixed-70-0.93': 28.1,
    clean: 42.0,
    'gaussian-5': 40.0,
    'gaussian-10': 38.5,
    'gaussian-20': 34.5,
  },
  paper: {
    'gaussian-40': 31.5,
    'gaussian-50': 30.3,
    'gaussian-60': 29.0,
    'gaussian-70': 27.9,
    'salt-pepper-0.99': 32.0,
    'salt-pepper-0.97': 32.0,
    'salt-pepper-0.95': 32.0,
    'salt-pepper-0.93': 32.0,
    'mixed-50-0.97': 29.9,
    'mixed-70-0.93': 27.0,
    clean: null,
    'gaussian-5': null,
    'gaussian-10': null,
    'gaussian-20': null,
  },
};

/** The paper's network is held to the paper-model floors; every variant of it to the default model's. */
export function psnrFloors(architecture: ArchitectureId): Readonly<Record<string, number | null>> {
  return architecture === 'paper' ? PSNR_FLOORS.paper : PSNR_FLOORS.default;
}
