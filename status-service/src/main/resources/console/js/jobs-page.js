import { follow, get, query } from './api.js';
import { h, notice, pill, replace } from './dom.js';
import { showError } from './errors.js';
import { between, duration, when, zoneName } from './format.js';

const STATES = ['ACCEPTED', 'RUNNING', 'HELD', 'COMPLETED', 'FAILED', 'DEAD_LETTERED', 'CANCELLED'];
const FILTERS = ['state', 'pipeline', 'connection', 'stage', 'errorClass', 'q'];

// What an event says about its job's state, so a row changes the moment the event arrives.
const STATE_AFTER = {
  JobAccepted: 'ACCEPTED', StageDispatched: 'RUNNING', JobReplayed: 'RUNNING', JobReleased: 'RUNNING',
  JobHeld: 'HELD', JobCompleted: 'COMPLETED', JobFailed: 'FAILED', JobDeadLettered: 'DEAD_LETTERED',
  JobCancelled: 'CANCELLED',
};

/** The job list: the filters of GET /jobs, newest first, kept current by the firehose (GET /events). */
export function jobsPage(container, params) {
  const filters = Object.fromEntries(FILTERS.map((name) => [name, params.get(name) || '']));
  const rows = new Map();
  const body = h('tbody');
  const status = h('span', { class: 'muted' }, 'connecting…');
  const more = h('div');
  let stream = null;
  let reloadTimer = null;

  replace(container,
    h('h1', {}, 'Jobs'),
    filterForm(filters),
    h('p', { class: 'muted' }, status, ' · times in ', zoneName()),
    h('div', { id: 'job-list' }, h('p', { class: 'muted' }, 'Loading jobs…')),
    more);
  const list = container.querySelector('#job-list');

  async function load() {
    try {
      const page = await get('jobs' + query({ ...filters, limit: 50 }));
      rows.clear();
      body.replaceChildren();
      page.items.forEach((job) => addRow(job, false));
      replace(list, page.items.length ? table(body) : emptyState(filters));
      showMore(page.next);
    } catch (error) {
      showError(list, error, load);
    }
  }

  function showMore(next) {
    replace(more, next ? h('button', {
      type: 'button', onclick: async () => {
        const page = await get('jobs' + query({ ...filters, limit: 50, before: next })).catch((e) => showError(more, e, () => showMore(next)));
        if (page) {
          page.items.forEach((job) => addRow(job, false));
          showMore(page.next);
        }
      },
    }, 'Older jobs') : null);
  }

  function addRow(job, first) {
    const row = h('tr', { 'data-job': job.jobId },
      h('td', {}, pill(job.state)),
      h('td', {}, h('a', { href: '#/jobs/' + encodeURIComponent(job.jobId) }, job.subject || job.eventType || job.jobId),
        h('div', { class: 'muted' }, h('code', {}, job.jobId))),
      h('td', {}, job.pipeline), h('td', {}, job.connection),
      h('td', { class: 'stage' }, job.currentStage || '—'),
      h('td', {}, job.errorClass ? h('span', { class: 'error-text' }, job.errorClass) : ''),
      h('td', {}, when(job.createdAt)),
      h('td', { class: 'num' }, duration(between(job.createdAt, job.finishedAt))));
    rows.set(job.jobId, row);
    if (first) body.prepend(row);
    else body.append(row);
  }

  // At most one reload waits at a time: a busy firehose must not postpone it forever.
  function reloadSoon(delay) {
    if (!reloadTimer) {
      reloadTimer = setTimeout(() => { reloadTimer = null; load(); }, delay);
    }
  }

  function startStream() {
    // Every state and stage: the firehose filters on a job's current ones, so with the list's state or stage filter
    // a job leaving them would send nothing more, and its row would keep what it left.
    const filtered = { ...filters, state: '', stage: '' };
    const wanted = filters.state ? filters.state.split(',') : null;
    stream = follow('events' + query(filtered), {
      reopen: true,
      onState: (state) => {
        replace(status, h('span', { class: 'live-dot' + (state === 'live' ? '' : ' off') }),
          state === 'live' ? 'live' : state === 'retrying' ? 'reconnecting…' : 'not live');
      },
      onError: (error) => replace(status, 'not live: ' + error.message),
      onEvent: ({ type, data }) => {
        const row = rows.get(data.jobId);
        const state = STATE_AFTER[type];
        const fit = fits(filters, wanted, type, state, data);
        if (!row) {
          // Not listed: read the page again when it may now belong (new; or entering the filtered state or stage).
          if (wanted || filters.stage ? fit.some : type === 'JobAccepted') reloadSoon(300);
          return;
        }
        if (fit.none) {
          reloadSoon(300); // it left the filtered state or stage: the page read again no longer lists it
          return;
        }
        if (state) {
          row.cells[0].replaceChildren(pill(state));
          if (data.stage) row.querySelector('.stage').textContent = data.stage;
        }
        if (type === 'JobCompleted' || type === 'JobFailed' || type === 'JobDeadLettered') {
          reloadSoon(1000); // its duration and error
        }
      },
    });
  }

  // The stream first, then the page: an event between the two is not lost, it only reads the page again.
  startStream();
  load();
  return () => {
    clearTimeout(reloadTimer);
    if (stream) stream.close();
  };
}

/**
 * What an event says of its job against the list's state and stage filters: {@code none} when it tells the job no
 * longer matches one of them; {@code some} when it tells the job matches one and none is contradicted. A dispatch
 * names the job's new stage, and a completed job has none; other events leave the stage as it was.
 */
function fits(filters, wanted, type, state, data) {
  const stage = type === 'StageDispatched' ? data.stage : type === 'JobCompleted' ? null : undefined;
  const byState = wanted && state ? wanted.includes(state) : undefined;
  const byStage = filters.stage && stage !== undefined ? stage === filters.stage : undefined;
  const none = byState === false || byStage === false;
  return { none, some: !none && (byState === true || byStage === true) };
}

function table(body) {
  return h('table', {},
    h('thead', {}, h('tr', {}, ['State', 'Job', 'Pipeline', 'Connection', 'Stage', 'Error', 'Created', 'Took']
      .map((title) => h('th', { class: title === 'Took' ? 'num' : null }, title)))),
    body);
}

function emptyState(filters) {
  const filtered = Object.values(filters).some((v) => v);
  return notice('', filtered
    ? 'No job matches these filters. Clear them to see every job; new jobs that match appear here as they arrive.'
    : 'No jobs yet. Send a webhook (./jobpipe send, or POST to ingest) and it appears here as it arrives.');
}

function filterForm(filters) {
  const field = (name, placeholder) => h('input', { name, placeholder, value: filters[name], size: 12 });
  const state = h('select', { name: 'state' }, h('option', { value: '' }, 'any state'),
    STATES.map((s) => h('option', { value: s, selected: filters.state === s }, s.replace('_', ' ').toLowerCase())));
  return h('form', {
    class: 'filters', onsubmit: (event) => {
      event.preventDefault();
      const values = Object.fromEntries(new FormData(event.target).entries());
      location.hash = '#/jobs' + query(values);
    },
  }, h('input', { name: 'q', placeholder: 'search subjects', value: filters.q, size: 22 }), state,
  field('pipeline', 'pipeline'), field('connection', 'connection'), field('stage', 'stage'),
  field('errorClass', 'error class'), h('button', { class: 'primary' }, 'Filter'),
  h('a', { href: '#/jobs' }, 'clear'));
}
