/**
 * Strength: the factor on a noise-conditioned model's noise map (DECISIONS:
 * "Noise map convention"). 1 hands the model the noise the image was estimated
 * to have; more asks it to remove more (smoother), less to remove less.
 */

/** What the engine and the batch tool accept. Far outside it the model is asked about noise it never saw. */
export const STRENGTH_MIN = 0.25;
export const STRENGTH_MAX = 2;

/** The viewer's choices next to Denoise; 1 is the default. */
export const STRENGTH_CHOICES = [0.5, 0.75, 1, 1.25, 1.5] as const;
export const DEFAULT_STRENGTH = 1;

/** Why a strength cannot be used, or null (undefined means the default, 1). */
export function strengthProblem(strength: number | undefined): string | null {
  if (strength === undefined) return null;
  if (!Number.isFinite(strength) || strength < STRENGTH_MIN || strength > STRENGTH_MAX)
    return `strength must be a number from ${STRENGTH_MIN} to ${STRENGTH_MAX}, got ${strength}`;
  return null;
}

/** "1.25x": as labels, series descriptions and the batch tool's lines say it. */
export const formatStrength = (strength: number): string => `${strength}x`;
