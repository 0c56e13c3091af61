/** How long ago (or how long left), as the CLI and the editor show it: "3s", "4m", "2h 5m". */
export function ageText(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m`;
  return `${Math.floor(s / 3600)}h ${Math.floor((s % 3600) / 60)}m`;
}

/** A moment as a wall-clock time of day ("14:51:37"), for tooltips that are not redrawn as time passes. */
export function clockTime(epochMs: number): string {
  return new Date(epochMs).toLocaleTimeString();
}
