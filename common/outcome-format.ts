/** How outcome figures read in the editor (tooltips, dashboard, agent details): one way everywhere. */

export function percentText(rate: number): string {
  const percent = rate * 100;
  return `${percent > 0 && percent < 10 ? percent.toFixed(1) : Math.round(percent)}%`;
}

/** A duration: "—" when there is none (no outcomes), "0.5 ms", "840 ms", "1.2 s". */
export function msText(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return '—';
  if (ms < 10) return `${ms.toFixed(1)} ms`;
  if (ms < 1000) return `${Math.round(ms)} ms`;
  return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
}

/** Dollars with four decimals under $1 (agent calls cost fractions of a cent), else cents. */
export function usdText(usd: number): string {
  return `$${usd.toFixed(usd < 1 ? 4 : 2)}`;
}

export function countText(n: number): string {
  return n.toLocaleString('en-US');
}

/** "5 min" for 300, "1 h" for 3600, "40 s" for 40. */
export function windowText(seconds: number): string {
  if (seconds % 3600 === 0) return `${seconds / 3600} h`;
  if (seconds % 60 === 0) return `${seconds / 60} min`;
  return `${seconds} s`;
}
