/** The map's colours of re-check progress, 0–20 %, 20–40 %, … 80–100 %: pale to the brand colour. */
export const PROGRESS_STEPS = ['#f3e3d3', '#e0b48f', '#c98257', '#a8512f', '#7a2e1d'] as const;
