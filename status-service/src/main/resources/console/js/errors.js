import { token } from './api.js';
import { h, notice, replace } from './dom.js';

/**
 * Shows why a view could not load, with what to do: a token form for 401 and 403, a retry note for an unreachable
 * API or a database that did not answer, the problem's detail otherwise. `retry` reloads the view.
 */
export function showError(container, error, retry) {
  if (error.kind === 'token' || error.kind === 'forbidden') {
    replace(container, tokenForm(error));
  } else if (error.kind === 'unreachable') {
    replace(container, notice('error', h('strong', {}, "Can't reach the status API. "),
      'Check that status-service is running (./jobpipe up starts it) and that this page comes from it. ',
      'The console tries again every 5 s and reloads this view when the API answers.'));
  } else if (error.kind === 'unavailable') {
    replace(container, notice('error', h('strong', {}, 'The status API is up but cannot answer now. '), error.message,
      ' ', h('button', { type: 'button', onclick: retry }, 'Try again')));
    setTimeout(() => { if (container.isConnected) retry(); }, 5000);
  } else {
    replace(container, notice('error', h('strong', {}, 'The request failed (' + error.status + '). '), error.message));
  }
}

/** Asks for a token; once given, the console shows the current view again with it (main.js). */
export function tokenForm(error) {
  const input = h('input', { type: 'password', name: 'token', placeholder: 'token', autocomplete: 'off', size: 40 });
  const operate = error && error.kind === 'forbidden';
  const form = h('form', {
    class: 'inline', onsubmit: (event) => {
      event.preventDefault();
      if (input.value.trim() === '') return;
      token.set(input.value);
      document.dispatchEvent(new CustomEvent('jobpipe-token'));
    },
  }, h('label', {}, operate ? 'Operate token ' : 'Token ', input), h('button', { class: 'primary' }, 'Use this token'));
  return notice(operate ? 'error' : '',
    h('p', {}, operate
      ? 'Your token may read but not change anything. This action needs an operate token.'
      : (token.get() ? 'The token you gave is not accepted here. ' : 'This view needs a token. ')
        + 'Paste a read token (or an operate token, to replay and cancel). It is kept for this browser tab only.'),
    h('p', { class: 'muted' }, './jobpipe up prints the dev tokens; elsewhere they are in JOBPIPE_OPS_TOKENS.'),
    form);
}
