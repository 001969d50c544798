import { follow, get } from './api.js';
import { h, notice, pill, replace } from './dom.js';
import { showError } from './errors.js';
import { clock, duration, when, zoneName } from './format.js';
import { actionForm } from './job-actions.js';

const TERMINAL = ['COMPLETED', 'FAILED', 'DEAD_LETTERED', 'CANCELLED'];

/** One job: its facts, a stage timeline, artifacts, and its events live (GET /jobs/{id}/events). */
export function jobPage(container, jobId) {
  const summary = h('div', {}, h('p', { class: 'muted' }, 'Loading job…'));
  const events = h('ul', { class: 'events', id: 'live-events' });
  const live = h('span', { class: 'muted' }, 'connecting…');
  let stream = null;
  let streamEnded = false;
  let lastId = null;
  let refresh = null;
  let shownOnce = false;

  replace(container, h('p', {}, h('a', { href: '#/jobs' }, '← all jobs')), summary,
    h('h2', {}, 'Events ', live), events);

  // After a replay or cancel from this page: the orchestrator decides a moment later, so look again twice.
  const afterAction = () => {
    setTimeout(load, 800);
    setTimeout(load, 2500);
  };

  function followEvents() {
    streamEnded = false;
    stream = follow('jobs/' + encodeURIComponent(jobId) + '/events', {
      lastEventId: lastId,
      onState: (state) => {
        streamEnded = state === 'ended';
        replace(live, h('span', { class: 'live-dot' + (state === 'live' ? '' : ' off') }),
          state === 'live' ? 'live' : state === 'ended' ? 'the job finished; its stream ended' : 'reconnecting…');
      },
      onEvent: ({ id, type, data }) => {
        lastId = id;
        events.append(h('li', {}, h('span', { class: 'muted' }, '#' + id), h('strong', {}, type),
          h('span', {}, data.stage || ''), h('span', { class: 'muted' }, clock(data.occurredAt))));
        events.scrollTop = events.scrollHeight;
        clearTimeout(refresh);
        refresh = setTimeout(load, 150);
      },
    });
  }

  async function load() {
    try {
      const job = await get('jobs/' + encodeURIComponent(jobId));
      replace(summary, ...render(job, afterAction));
      shownOnce = true;
      // A finished job's stream has ended; a replay brings the job back, and its stream goes on after the last event.
      if (!stream || (streamEnded && !TERMINAL.includes(job.state))) {
        if (stream) stream.close();
        followEvents();
      }
    } catch (error) {
      if (error.status === 404) {
        replace(summary, notice('error', 'No job with id ' + jobId + ' is known. If it was just accepted, wait a moment'
          + ' and reload; finished jobs are deleted after the retention period.'));
      } else if (!shownOnce || error.kind !== 'unreachable') {
        showError(summary, error, load);
      }
    }
  }

  load();
  return () => {
    clearTimeout(refresh);
    if (stream) stream.close();
  };
}

function render(job, reload) {
  const total = job.finishedAt ? new Date(job.finishedAt) - new Date(job.createdAt) : null;
  const facts = [
    ['Pipeline', job.pipeline], ['Connection', job.connection], ['Event', job.eventType],
    ['Delivery', job.deliveryId], ['Trace id', job.traceId ? h('code', {}, job.traceId) : '—'],
    ['Created', when(job.createdAt)], ['Finished', when(job.finishedAt)], ['Took', duration(total)],
  ];
  if (job.attempt) facts.push(['Attempt', job.attempt.stage + ' ' + job.attempt.attempt + (job.attempt.allowed ? ' of ' + job.attempt.allowed : '')
    + (job.attempt.nextAttemptAt ? ', next at ' + when(job.attempt.nextAttemptAt) : '')]);
  if (job.held) facts.push(['Held', job.held.stage + ' by breaker ' + job.held.breaker + ': ' + job.held.reason]);
  if (job.progress) facts.push(['Progress', job.progress.stage + ': ' + job.progress.message + ' (' + clock(job.progress.at) + ')']);
  if (job.cancellation) facts.push(['Cancelled', (job.cancellation.requestedBy || '') + ': ' + (job.cancellation.reason || '')]);
  if (job.replays.length) facts.push(['Replays', job.replays.map((r) => r.replayId + ' by ' + r.requestedBy + ' (' + r.reason + ')').join('; ')]);

  return [
    h('h1', {}, pill(job.state), ' ', subjectOf(job) || job.eventType, ' ', h('code', { class: 'muted' }, job.jobId)),
    job.error ? notice('error', h('strong', {}, 'Error: '), job.error) : null,
    h('dl', { class: 'kv' }, facts.map(([k, v]) => [h('dt', {}, k), h('dd', {}, v || '—')])),
    actions(job, reload),
    h('h2', {}, 'Stages ', h('span', { class: 'muted' }, '(times in ' + zoneName() + ')')),
    timeline(job),
    h('h2', {}, 'Artifacts'),
    job.artifacts.length
      ? h('ul', {}, job.artifacts.map((a) => h('li', {}, h('a', { href: a.url.replace(/^\//, ''), download: a.name.split('/').pop() }, a.name),
        h('span', { class: 'muted' }, ' ' + a.bytes + ' bytes, from ' + a.stage))))
      : h('p', { class: 'muted' }, 'This job wrote no files.'),
  ];
}

function subjectOf(job) {
  for (const stage of job.stages) {
    if (stage.output && typeof stage.output.subject === 'string') return stage.output.subject;
  }
  return null;
}

function actions(job, reload) {
  const forms = [];
  if (job.state === 'DEAD_LETTERED') forms.push(actionForm('replay', job.jobId, reload));
  if (!TERMINAL.includes(job.state) || job.state === 'DEAD_LETTERED') forms.push(actionForm('cancel', job.jobId, reload));
  return forms.length ? h('div', { class: 'actions' }, forms) : null;
}

function timeline(job) {
  const start = new Date(job.createdAt).getTime();
  const ends = job.stages.map((s) => s.endedAt ? new Date(s.endedAt).getTime() : (s.startedAt ? Date.now() : start));
  const span = Math.max(1, ...ends.map((t) => t - start));
  const rows = job.stages.map((s) => {
    const from = s.startedAt ? new Date(s.startedAt).getTime() - start : 0;
    const to = (s.endedAt ? new Date(s.endedAt).getTime() : s.startedAt ? Date.now() : start) - start;
    const bar = s.startedAt ? h('div', {
      class: 'bar ' + s.status,
      style: 'left:' + (100 * from / span).toFixed(2) + '%;width:' + (100 * Math.max(0, to - from) / span).toFixed(2) + '%',
      title: s.name + ': ' + duration(s.durationMs),
    }) : null;
    return [
      h('tr', { 'data-stage': s.name },
        h('td', {}, s.name), h('td', {}, pill(s.status)), h('td', { class: 'num' }, s.attempts),
        h('td', { class: 'num' }, duration(s.durationMs)), h('td', { class: 'time' }, clock(s.startedAt)),
        h('td', { class: 'bar-cell' }, h('div', { class: 'bar-track' }, bar)),
        h('td', {}, s.error ? h('span', { class: 'error-text' }, s.error) : (s.summary || ''))),
      s.output || s.log ? h('tr', {}, h('td', {}), h('td', { colspan: 6 },
        s.output ? h('details', {}, h('summary', {}, 'output'), h('pre', {}, JSON.stringify(s.output, null, 2))) : null,
        s.log ? h('details', {}, h('summary', {}, 'log of attempt ' + s.logAttempt), h('pre', {}, s.log)) : null)) : null,
    ];
  });
  return h('table', { class: 'timeline' },
    h('thead', {}, h('tr', {}, ['Stage', 'Status', 'Attempts', 'Took', 'Started', 'Timeline', 'Summary or error']
      .map((t) => h('th', { class: t === 'Attempts' || t === 'Took' ? 'num' : null }, t)))),
    h('tbody', {}, rows));
}
