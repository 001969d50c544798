import { get, query } from './api.js';
import { h, notice, pill, replace } from './dom.js';
import { showError } from './errors.js';
import { duration, percent, when } from './format.js';

const WINDOWS = [['15m', '15 minutes'], ['1h', 'hour'], ['24h', '24 hours'], ['P7D', '7 days']];
const COLOURS = { p50: '#175cd3', p95: '#b54708', p99: '#b42318', failure: '#b42318', retry: '#b54708', deadLetter: '#6941c6' };

/** GET /stats: per pipeline, jobs by state and outcome rates; per stage, latency and failure charts (uPlot). */
export function statsPage(container, params) {
  const window = params.get('window') || '1h';
  const body = h('div', {}, h('p', { class: 'muted' }, 'Loading stats…'));
  const charts = [];
  replace(container, h('h1', {}, 'Stats'),
    h('form', { class: 'filters' }, h('label', {}, 'Last ', h('select', {
      name: 'window', onchange: (e) => { location.hash = '#/stats' + query({ window: e.target.value }); },
    }, WINDOWS.map(([value, label]) => h('option', { value, selected: value === window }, label))))),
    body);

  async function load() {
    try {
      const report = await get('stats' + query({ window }));
      charts.splice(0).forEach((c) => c.destroy());
      const jobs = report.pipelines.reduce((n, p) => n + p.jobs, 0);
      replace(body, h('p', { class: 'muted' }, 'From ', when(report.from), ' to ', when(report.to)),
        jobs === 0 ? notice('', 'No jobs in this window. Pick a longer one, or send a webhook.') : null,
        report.pipelines.filter((p) => p.jobs > 0).map((p) => pipelineSection(p, charts)),
        report.connections.length ? connectionsTable(report.connections) : null);
    } catch (error) {
      showError(body, error, load);
    }
  }

  load();
  return () => charts.forEach((c) => c.destroy());
}

function pipelineSection(p, charts) {
  const latency = h('div', { class: 'chart', 'data-chart': 'latency' });
  const failures = h('div', { class: 'chart', 'data-chart': 'failures' });
  const section = h('section', { 'data-pipeline': p.pipeline },
    h('h2', {}, 'Pipeline ', p.pipeline),
    h('p', {}, Object.entries(p.states).filter(([, n]) => n > 0).map(([state, n]) => [pill(state), ' ', n, '  ']),
      h('span', { class: 'muted' }, ' · success ', percent(p.successRate), ' · failure ', percent(p.failureRate),
        ' · dead-lettered ', percent(p.deadLetterRate), ' · retried ', percent(p.retryRate),
        ' · end to end p50 ', duration(p.durationMs.p50), ', p95 ', duration(p.durationMs.p95), ', p99 ',
        duration(p.durationMs.p99))),
    h('div', { class: 'charts' }, latency, failures),
    stageTable(p.stages));
  const stages = p.stages.map((s) => s.stage);
  const ms = (key) => p.stages.map((s) => s.durationMs[key]);
  const pct = (key) => p.stages.map((s) => (s[key] === null ? null : s[key] * 100));
  // Drawn once the section is in the page, so the charts take its width.
  requestAnimationFrame(() => {
    if (!window.uPlot) {
      replace(latency, notice('error', 'The chart library did not load (vendor/uplot); the table below has the figures.'));
      return;
    }
    charts.push(chart(latency, 'Latency per stage (succeeded attempts)', stages, 'ms',
      [['p50', ms('p50')], ['p95', ms('p95')], ['p99', ms('p99')]], false));
    charts.push(chart(failures, 'Failure, retry and dead-letter rate per stage', stages, '%',
      [['failure', pct('failureRate')], ['retry', pct('retryRate')], ['deadLetter', pct('deadLetterRate')]], true));
  });
  return section;
}

function chart(target, title, stages, unit, series, bars) {
  const width = Math.max(360, target.clientWidth - 16);
  const options = {
    title, width, height: 240,
    scales: {
      x: { time: false, range: () => [-0.5, stages.length - 0.5] },
      // from 0; a rate chart shows at least 0..5 %, so a few failures are not drawn as a wall
      y: { range: (u, min, max) => [0, unit === '%' ? Math.min(100, Math.max(5, max * 1.2)) : Math.max(1, max * 1.1)] },
    },
    axes: [
      { splits: () => stages.map((_, i) => i), values: (u, splits) => splits.map((i) => stages[i] || '') },
      { label: unit, values: (u, splits) => splits.map((v) => (unit === 'ms' ? duration(v) : v.toFixed(Number.isInteger(v) ? 0 : 1) + ' %')), size: 70 },
    ],
    series: [{ label: 'stage', value: (u, i) => (i === null ? '' : stages[i]) }, ...series.map(([name], n) => ({
      // the first series of a rate chart as bars, the others as points on lines over it
      label: name, stroke: COLOURS[name], fill: bars && n === 0 ? COLOURS[name] + '55' : undefined, width: 2,
      points: { show: true, size: 7 },
      paths: bars && n === 0 ? uPlot.paths.bars({ size: [0.5, 60] }) : undefined,
      value: (u, v) => (v === null || v === undefined ? '—' : unit === 'ms' ? duration(v) : v.toFixed(1) + ' %'),
    }))],
  };
  return new uPlot(options, [stages.map((_, i) => i), ...series.map(([, values]) => values)], target);
}

function stageTable(stages) {
  return h('table', {},
    h('thead', {}, h('tr', {}, ['Stage', 'Runs', 'Attempts', 'Succeeded', 'Failed', 'Dead-lettered', 'Retried', 'p50', 'p95', 'p99']
      .map((t, i) => h('th', { class: i ? 'num' : null }, t)))),
    h('tbody', {}, stages.map((s) => h('tr', {}, h('td', {}, s.stage),
      [s.runs, s.attempts, s.succeeded, s.failed, s.deadLettered, s.retried].map((n) => h('td', { class: 'num' }, n)),
      ['p50', 'p95', 'p99'].map((k) => h('td', { class: 'num' }, duration(s.durationMs[k])))))));
}

function connectionsTable(connections) {
  return [h('h2', {}, 'Connections'), h('table', {},
    h('thead', {}, h('tr', {}, ['Connection', 'Jobs', 'Failed', 'Dead-lettered'].map((t, i) => h('th', { class: i ? 'num' : null }, t)))),
    h('tbody', {}, connections.map((c) => h('tr', {}, h('td', {}, c.connection),
      [c.jobs, c.failed, c.deadLettered].map((n) => h('td', { class: 'num' }, n))))))];
}
