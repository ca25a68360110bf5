import {
  buildDataset,
  DEFAULT_DATASET_OPTIONS,
  tissueCropOrigins,
  cutCrop,
  type Crop,
  type Dataset,
} from '../data/dataset';
import { readMias } from '../data/mias';
import { Random } from '../data/random';
import type { TrainConfig } from '../train/config';
import { PRESETS } from '../train/config';

/**
 * The crops an evaluation runs on. `test`/`validation`: that split of the
 * training dataset (same seed, so the same patients the model never saw).
 * `all`: tissue crops from every image found, for images outside the training
 * data altogether (e.g. the withheld MIAS patients).
 */
export async function evaluationCrops(
  split: string,
  data: string | undefined,
  config: TrainConfig = PRESETS.patches,
  perImage = 4,
): Promise<{ crops: Crop[]; dataset: Dataset | null; description: string }> {
  const images = await readMias(data);
  if (split === 'test' || split === 'validation') {
    const dataset = buildDataset(images, {
      ...DEFAULT_DATASET_OPTIONS,
      samples: config.samples,
      cropSize: config.cropSize,
      seed: config.datasetSeed,
    });
    const crops = [...dataset.splits[split]];
    return {
      crops,
      dataset,
      description:
        `${split} split: ${crops.length} crops of ${config.cropSize} px ` +
        `from patients ${dataset.patients[split].join(', ')}`,
    };
  }
  if (split !== 'all') throw new Error(`--split must be test, validation or all, got "${split}"`);
  const random = Random.fromSeed('evaluation-all');
  const crops: Crop[] = [];
  for (const image of images) {
    const origins = tissueCropOrigins(image, config.cropSize, DEFAULT_DATASET_OPTIONS.minTissueFraction);
    for (let k = 0; k < perImage && origins.length > 0; k += 1) {
      const [x, y] = origins[random.int(origins.length)] as [number, number];
      crops.push({ source: image.name, x, y, transform: 0, pixels: cutCrop(image, x, y, config.cropSize, 0) });
    }
  }
  if (crops.length === 0)
    throw new Error(
      `no image has a ${config.cropSize} px crop that is ` +
        `at least ${DEFAULT_DATASET_OPTIONS.minTissueFraction * 100}% tissue; try a smaller --crop`,
    );
  return {
    crops,
    dataset: null,
    description:
      `all images: ${crops.length} crops of ${config.cropSize} px ` +
      `from ${images.length} images (${images.map((i) => i.name).join(', ')})`,
  };
}
