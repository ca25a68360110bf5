/**
 * Each loss's short name (phase lines and the card's schedule line) and
 * what it means (said once per card, for the losses its chain used).
 */
export const LOSSES: Record<string, { name: string; meaning: string }> = {
  mse: { name: 'plain MSE', meaning: "plain MSE is the paper's loss" },
  'noise-normalised': {
    name: 'noise-normalised MSE',
    meaning:
      "noise-normalised MSE divides each crop's MSE by its noisy input's MSE against the clean crop plus (2/255)^2, " +
      'so clean, lightly noisy and salt-and-pepper crops weigh as much as heavy Gaussian ones ' +
      "(plain MSE lets sigma 70 dominate, which is why the paper's network smooths clean input)",
  },
  'log-mse': {
    name: 'log-MSE',
    meaning:
      'log-MSE is the mean over crops of log(MSE + (0.5/255)^2), i.e. minus the mean per-crop PSNR up to a constant, ' +
      "the figure the evaluation reports, so each crop's gradient is scaled by 1/its own error",
  },
};
