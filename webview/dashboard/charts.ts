/**
 * A time-series chart on uPlot (canvas, so nothing for the CSP to refuse) in the theme's colours:
 * VS Code's --vscode-charts-* palette and foreground, read again when the theme changes.
 */
import uPlot from 'uplot';

const CHART_HEIGHT = 180;

/** The series colours: the theme's chart palette, with VS Code's defaults where a page lacks them (tests). */
const PALETTE: [string, string][] = [
  ['--vscode-charts-blue', '#1a85ff'],
  ['--vscode-charts-orange', '#d18616'],
  ['--vscode-charts-green', '#388a34'],
  ['--vscode-charts-purple', '#652d90'],
  ['--vscode-charts-red', '#e51400'],
  ['--vscode-charts-yellow', '#bf8803'],
];

function themeColor(name: string, fallback: string): string {
  return getComputedStyle(document.body).getPropertyValue(name).trim() || fallback;
}

export interface SeriesData {
  label: string;
  values: (number | null)[];
  /** Index into the palette (the same agent or queue keeps its colour across charts). */
  color: number;
  dash?: number[];
  /** Has steps without a value (no outcomes there): dots, so that a lone value shows. */
  sparse?: boolean;
}

export class Chart {
  private plot?: uPlot;
  /** The series drawn (labels and styles): data alone changes by setData, keeping the cursor and legend. */
  private shape = '';

  constructor(
    private readonly container: HTMLElement,
    private readonly format: (value: number) => string,
  ) {}

  draw(stepsMs: number[], series: SeriesData[]): void {
    const data = [stepsMs.map((ms) => ms / 1000), ...series.map((s) => s.values)] as uPlot.AlignedData;
    const shape = JSON.stringify(series.map(({ label, color, dash, sparse }) => [label, color, dash, sparse]));
    if (this.plot && shape === this.shape) return this.plot.setData(data);
    this.plot?.destroy();
    this.shape = shape;
    this.plot = new uPlot(this.options(series), data, this.container);
  }

  /** Built again on the next draw, in the new theme's colours. */
  themeChanged(): void {
    this.shape = '';
  }

  resize(): void {
    this.plot?.setSize({ width: this.width(), height: CHART_HEIGHT });
  }

  private width(): number {
    return Math.max(200, this.container.clientWidth);
  }

  private options(series: SeriesData[]): uPlot.Options {
    const text = themeColor('--vscode-descriptionForeground', '#717171');
    const grid = themeColor('--vscode-editorWidget-border', '#c8c8c8');
    const axis = (values: uPlot.Axis['values']): uPlot.Axis => ({ stroke: text, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid, width: 1 }, values });
    return {
      width: this.width(),
      height: CHART_HEIGHT,
      cursor: { drag: { x: false, y: false } },
      scales: { y: { range: (_u, min, max) => [Math.min(0, min), max > 0 ? max * 1.1 : 1] } },
      axes: [axis(undefined), { ...axis((_u, splits) => splits.map((v) => this.format(v))), size: 64 }],
      series: [
        {},
        ...series.map((s): uPlot.Series => {
          const [name, fallback] = PALETTE[s.color % PALETTE.length]!;
          return {
            label: s.label,
            stroke: themeColor(name, fallback),
            width: 1.5,
            dash: s.dash,
            points: s.sparse ? { show: true, size: 4, fill: themeColor(name, fallback) } : { show: false },
            value: (_u, v) => (v === null || v === undefined ? '—' : this.format(v)),
          };
        }),
      ],
    };
  }
}
