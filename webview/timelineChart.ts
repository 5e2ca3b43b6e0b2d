import uPlot from 'uplot';
import type { TimelinePoint } from './protocol';
import { TIMELINE_SERIES, TIMELINE_SPAN_MS, timelineColumns } from './timelineWindow';

/** Each series in a theme chart colour (VS Code's `charts.*` colours, which every theme defines). */
const SERIES_STYLE: Record<(typeof TIMELINE_SERIES)[number], { label: string; colour: string }> = {
  queued: { label: 'queue length', colour: '--vscode-charts-orange' },
  launching: { label: 'agents launching', colour: '--vscode-charts-yellow' },
  online: { label: 'agents online', colour: '--vscode-charts-green' },
  busy: { label: 'agents busy', colour: '--vscode-charts-blue' },
  offers: { label: 'offers', colour: '--vscode-charts-purple' },
};

const HEIGHT = 220;

/** A theme variable's value; the first of `names` that the theme sets (canvas needs a colour, not a var()). */
function themeValue(...names: string[]): string {
  const style = getComputedStyle(document.documentElement);
  for (const name of names) {
    const value = style.getPropertyValue(name).trim();
    if (value) return value;
  }
  return '';
}

/**
 * The timeline of the last hour, drawn with uPlot on a canvas. Canvas colours cannot follow CSS variables
 * by themselves, so the chart is rebuilt from the theme's values when the theme changes.
 */
export class TimelineChart {
  private plot: uPlot | undefined;
  private points: readonly TimelinePoint[] = [];
  private now = Date.now();
  private readonly resize: ResizeObserver;
  private readonly themeWatch: MutationObserver;

  constructor(private readonly container: HTMLElement) {
    this.resize = new ResizeObserver(() => this.plot?.setSize({ width: this.width(), height: HEIGHT }));
    this.resize.observe(container);
    // VS Code sets the theme's variables on <html style> and a theme class on <body>
    this.themeWatch = new MutationObserver(() => this.rebuild());
    this.themeWatch.observe(document.documentElement, { attributes: true, attributeFilter: ['style'] });
    this.themeWatch.observe(document.body, { attributes: true, attributeFilter: ['class'] });
    this.rebuild();
  }

  update(points: readonly TimelinePoint[], now: number): void {
    this.points = points;
    this.now = now;
    this.plot?.setData(timelineColumns(points));
    this.container.dataset.points = String(points.length);
  }

  dispose(): void {
    this.resize.disconnect();
    this.themeWatch.disconnect();
    this.plot?.destroy();
  }

  private width(): number {
    return Math.max(200, this.container.clientWidth);
  }

  private rebuild(): void {
    this.plot?.destroy();
    const foreground = themeValue('--vscode-foreground');
    const lines = themeValue('--vscode-charts-lines', '--vscode-panel-border', '--vscode-foreground');
    const font = `${themeValue('--vscode-font-size') || '12px'} ${themeValue('--vscode-font-family') || 'sans-serif'}`;
    const axis: uPlot.Axis = {
      stroke: foreground,
      font,
      grid: { stroke: lines, width: 1 },
      ticks: { stroke: lines, width: 1 },
    };
    this.plot = new uPlot(
      {
        width: this.width(),
        height: HEIGHT,
        // always the last hour, so an idle stretch reads as flat rather than the axis shrinking
        scales: {
          x: { time: true, range: () => [(this.now - TIMELINE_SPAN_MS) / 1000, this.now / 1000] },
          y: { range: (_u, _min, max) => [0, Math.max(4, Number.isFinite(max) ? max : 0)] },
        },
        series: [
          {},
          ...TIMELINE_SERIES.map((name) => ({
            label: SERIES_STYLE[name].label,
            stroke: themeValue(SERIES_STYLE[name].colour, '--vscode-foreground'),
            width: 1.5,
            points: { show: false },
          })),
        ],
        axes: [axis, { ...axis, size: 40 }],
        legend: { show: true, live: true },
      },
      timelineColumns(this.points),
      this.container,
    );
  }
}
