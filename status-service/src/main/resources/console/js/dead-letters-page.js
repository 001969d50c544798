import { get, post, query } from './api.js';
import { h, notice, pill, replace } from './dom.js';
import { showError, tokenForm } from './errors.js';
import { when, zoneName } from './format.js';
import { actionForm } from './job-actions.js';

const FILTERS = ['stage', 'errorClass', 'connection', 'pipeline'];

/**
 * Dead letters (GET /ops/dead-letters) with their filters; each can be replayed or cancelled, and every match of the
 * filters replayed at once after a dry run says how many and which.
 */
export function deadLettersPage(container, params) {
  const filters = Object.fromEntries(FILTERS.map((name) => [name, params.get(name) || '']));
  const list = h('div', { id: 'dead-letter-list' }, h('p', { class: 'muted' }, 'Loading dead letters…'));
  const bulk = h('div');
  let timer = null;

  replace(container, h('h1', {}, 'Dead letters'), filterForm(filters),
    h('p', { class: 'muted' }, 'Jobs whose stage failed every attempt, newest first · times in ', zoneName()),
    list, bulk);

  async function load() {
    try {
      const page = await get('ops/dead-letters' + query({ ...filters, limit: 100 }));
      replace(list, page.items.length ? table(page.items, load) : notice('', Object.values(filters).some((v) => v)
        ? 'No dead letter matches these filters.'
        : 'No dead letters. A job lands here when a stage fails all its attempts; nothing needs you now.'));
      replace(bulk, page.items.length ? [h('h2', {}, 'Replay every match'), bulkForm(filters, (id) => follow(id))] : null);
    } catch (error) {
      showError(list, error, load);
      replace(bulk);
    }
  }

  function follow(operationId) {
    const out = h('div', { id: 'operation' });
    bulk.append(out);
    const poll = async () => {
      try {
        const op = await get('ops/operations/' + encodeURIComponent(operationId));
        replace(out, notice(op.state === 'failed' ? 'error' : 'ok', 'Operation ' + op.id + ': ' + op.sent + ' of '
          + op.matched + ' replays sent' + (op.failed ? ', ' + op.failed + ' failed' : '') + ' (' + op.state + ').'
          + (op.error ? ' ' + op.error : '')));
        if (op.state === 'running' || op.state === 'pending') timer = setTimeout(poll, 1000);
        else load();
      } catch (error) {
        showError(out, error, poll);
      }
    };
    poll();
  }

  load();
  return () => clearTimeout(timer);
}

function table(items, reload) {
  return h('table', {},
    h('thead', {}, h('tr', {}, ['Job', 'Stage', 'Error', 'Attempts', 'Dead-lettered', 'Replays', '']
      .map((t) => h('th', {}, t)))),
    h('tbody', {}, items.map((item) => {
      const actions = h('td', { class: 'actions' });
      const open = (kind) => replace(actions, actionForm(kind, item.jobId, () => setTimeout(reload, 1500)),
        h('button', { type: 'button', onclick: () => replace(actions, ...buttons()) }, 'Back'));
      const buttons = () => [
        h('button', { type: 'button', class: 'primary', disabled: item.parked, onclick: () => open('replay') }, 'Replay…'),
        h('button', { type: 'button', class: 'danger', onclick: () => open('cancel') }, 'Cancel…')];
      replace(actions, ...buttons());
      return h('tr', { 'data-job': item.jobId },
        h('td', {}, h('a', { href: '#/jobs/' + encodeURIComponent(item.jobId) }, item.jobId),
          h('div', { class: 'muted' }, item.pipeline + ' · ' + item.connection + ' · ' + item.eventType)),
        h('td', {}, item.stage),
        h('td', {}, h('span', { class: 'error-text' }, item.errorClass), h('div', {}, item.errorMessage)),
        h('td', { class: 'num' }, item.attempts),
        h('td', {}, when(item.deadLetteredAt)),
        h('td', { class: 'num' }, item.replays, item.parked ? h('div', {}, pill('HELD'), ' replay cap reached') : null),
        actions);
    })));
}

function bulkForm(filters, started) {
  const out = h('div');
  const reason = h('input', { name: 'reason', placeholder: 'reason (required)', size: 30 });
  const filter = Object.fromEntries(Object.entries(filters).filter(([, v]) => v));
  const request = (dryRun) => post('ops/dead-letters/replay', { filter, reason: reason.value.trim(), dryRun });
  const fail = (error) => replace(out, error.kind === 'token' || error.kind === 'forbidden'
    ? tokenForm(error) : notice('error', error.message));
  const dryRun = h('button', {
    type: 'button', 'data-action': 'dry-run', onclick: async () => {
      if (!reason.value.trim()) return replace(out, notice('error', 'Give a reason first; it is kept with the replay.'));
      try {
        const plan = await request(true);
        const go = h('button', {
          type: 'button', class: 'primary', 'data-action': 'replay-all', onclick: async () => {
            go.disabled = true;
            try {
              const accepted = await request(false);
              replace(out, notice('ok', 'Replaying ' + accepted.matched + ' jobs (operation ' + accepted.operationId + ').'));
              started(accepted.operationId);
            } catch (error) {
              fail(error);
            }
          },
        }, 'Replay these ' + plan.matched);
        replace(out, notice('', h('p', {}, 'Dry run: ' + plan.matched + ' dead letters match; nothing was sent. First ones: '
          + plan.sample.map((s) => s.jobId).join(', ')), plan.matched ? go : null));
      } catch (error) {
        fail(error);
      }
    },
  }, 'Dry run');
  return h('div', {}, h('p', { class: 'muted' }, Object.keys(filter).length
    ? 'Replays every dead letter matching the filters above.' : 'No filter: replays every dead letter.'),
  h('div', { class: 'inline filters' }, reason, dryRun), out);
}

function filterForm(filters) {
  return h('form', {
    class: 'filters', onsubmit: (event) => {
      event.preventDefault();
      location.hash = '#/dead-letters' + query(Object.fromEntries(new FormData(event.target).entries()));
    },
  }, FILTERS.map((name) => h('input', { name, placeholder: name === 'errorClass' ? 'error class' : name, value: filters[name], size: 14 })),
  h('button', { class: 'primary' }, 'Filter'), h('a', { href: '#/dead-letters' }, 'clear'));
}
