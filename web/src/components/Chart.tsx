import { useEffect, useRef } from 'react';
import {
  BarController,
  BarElement,
  CategoryScale,
  Chart as ChartJs,
  Filler,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Tooltip,
  type ChartConfiguration,
} from 'chart.js';

// Only the parts the app draws: Chart.js tree-shakes what is not registered.
ChartJs.register(BarController, BarElement, LineController, LineElement, PointElement, CategoryScale, LinearScale, Tooltip, Legend, Filler);

export interface ChartProps {
  type: 'bar' | 'line';
  labels: string[];
  datasets: { label: string; data: (number | null)[]; color: string; fill?: boolean }[];
  stacked?: boolean;
  /** What the chart shows, for screen readers (the figures are also in a table next to it). */
  label: string;
  /** Clicking a bar or point: drill down to the accounts behind it. */
  onPick?: (index: number, datasetIndex: number) => void;
  yFormat?: (n: number) => string;
}

/** A Chart.js chart in a canvas, rebuilt when its data changes. */
export function Chart({ type, labels, datasets, stacked, label, onPick, yFormat }: ChartProps) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const pick = useRef(onPick);
  pick.current = onPick;
  useEffect(() => {
    const config: ChartConfiguration<'bar' | 'line'> = {
      type,
      data: {
        labels,
        datasets: datasets.map((d) => ({
          label: d.label,
          data: d.data,
          backgroundColor: d.fill === false ? 'transparent' : d.color,
          borderColor: d.color,
          fill: d.fill ?? false,
          tension: 0.2,
          pointRadius: 2,
        })),
      },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        scales: { x: { stacked }, y: { stacked, beginAtZero: true, ticks: yFormat ? { callback: (v) => yFormat(Number(v)) } : {} } },
        onClick: (_e, elements) => {
          const el = elements[0];
          if (el && pick.current) pick.current(el.index, el.datasetIndex);
        },
        onHover: (e, elements) => {
          const target = e.native?.target as HTMLElement | undefined;
          if (target) target.style.cursor = elements.length && pick.current ? 'pointer' : 'default';
        },
      },
    };
    const chart = new ChartJs(canvas.current!, config);
    // The browser tests click a bar where Chart.js drew it.
    (canvas.current as HTMLCanvasElement & { chart?: ChartJs }).chart = chart;
    return () => chart.destroy();
  }, [type, JSON.stringify(labels), JSON.stringify(datasets), stacked]);
  return (
    <div className="chart">
      <canvas ref={canvas} role="img" aria-label={label} />
    </div>
  );
}
