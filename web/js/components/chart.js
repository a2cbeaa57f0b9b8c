// chart.js - Apache ECharts (npm, copied to web/vendor/ by tools/web-vendor.sh),
// loaded on the first chart.  Canvas renderer, tooltips drawn on the canvas
// (renderMode 'richText': no HTML with style attributes, which the CSP forbids),
// the chart described for screen readers (aria), resized with its box and for
// printing.  Without the library (not built) chart() answers null and the
// dashboard shows its tables alone.

let loading = null;
const live = new Set();

function loadECharts() {
  if (!loading) {
    loading = import('../../vendor/echarts.esm.min.js').catch((e) => {
      console.warn('charts unavailable:', e.message);
      return null;
    });
  }
  return loading;
}

/** Draws option into box (an element with a height from CSS); the chart instance or null. */
export async function chart(box, option) {
  const echarts = await loadECharts();
  for (let i = 0; echarts && !box.isConnected && i < 20; i++) await new Promise((r) => window.requestAnimationFrame(r));
  if (!echarts || !box.isConnected) return null;
  const c = echarts.init(box, null, { renderer: 'canvas' });
  c.setOption({
    aria: { enabled: true },
    animation: !window.matchMedia('(prefers-reduced-motion: reduce)').matches,
    textStyle: { fontFamily: getComputedStyle(document.body).fontFamily, fontSize: 13 },
    tooltip: { renderMode: 'richText', confine: true },
    ...option,
  });
  live.add(c);
  const ro = new ResizeObserver(() => {
    if (!box.isConnected) {
      ro.disconnect();
      live.delete(c);
      c.dispose();
      return;
    }
    c.resize();
  });
  ro.observe(box);
  return c;
}

/* Paper is narrower than a desktop window: redraw at the printed width. */
window.addEventListener('beforeprint', () => live.forEach((c) => c.resize()));
window.addEventListener('afterprint', () => live.forEach((c) => c.resize()));
