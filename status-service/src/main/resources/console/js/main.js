import { onReachability, token } from './api.js';
import { h, replace } from './dom.js';
import { tokenForm } from './errors.js';
import { jobsPage } from './jobs-page.js';
import { jobPage } from './job-page.js';
import { deadLettersPage } from './dead-letters-page.js';
import { statsPage } from './stats-page.js';

// Hash routes, so the console is static files and any URL of it can be bookmarked or shared.
const routes = [
  [/^#\/jobs\/([^/?]+)/, (container, match) => jobPage(container, decodeURIComponent(match[1])), 'jobs'],
  [/^#\/jobs/, (container, match, params) => jobsPage(container, params), 'jobs'],
  [/^#\/dead-letters/, (container, match, params) => deadLettersPage(container, params), 'dead-letters'],
  [/^#\/stats/, (container, match, params) => statsPage(container, params), 'stats'],
];

const page = document.getElementById('page');
const banner = document.getElementById('banner');
let cleanup = () => {};

function render() {
  cleanup();
  cleanup = () => {};
  const hash = location.hash || '#/jobs';
  const params = new URLSearchParams(hash.includes('?') ? hash.slice(hash.indexOf('?') + 1) : '');
  for (const [pattern, view, nav] of routes) {
    const match = hash.match(pattern);
    if (match) {
      document.querySelectorAll('[data-nav]').forEach((a) => a.classList.toggle('active', a.dataset.nav === nav));
      const container = h('div');
      replace(page, container);
      cleanup = view(container, match, params) || (() => {});
      return;
    }
  }
  location.hash = '#/jobs';
}

// The banner: shown while the API cannot be reached, with a probe every 5 s; the view reloads once it answers.
let probe = null;
onReachability((reachable) => {
  if (reachable) {
    if (probe !== null) {
      clearInterval(probe);
      probe = null;
      banner.hidden = true;
      render();
    }
    return;
  }
  if (probe !== null) return;
  replace(banner, h('strong', {}, "Can't reach the status API at " + location.origin + '. '),
    'status-service may be stopped or restarting; what you see may be out of date. Retrying every 5 s…');
  banner.hidden = false;
  probe = setInterval(() => fetch('health', { cache: 'no-store' }).then(() => {
    clearInterval(probe);
    probe = null;
    banner.hidden = true;
    render();
  }, () => {}), 5000);
});

function showTokenState() {
  document.getElementById('token-state').textContent = token.get() ? 'token set for this tab' : 'no token';
}
document.getElementById('token-button').addEventListener('click', () => {
  cleanup();
  cleanup = () => {};
  replace(page, tokenForm(null),
    h('p', {}, h('button', { type: 'button', onclick: () => { token.clear(); showTokenState(); render(); } },
      'Forget the token')));
});
document.addEventListener('jobpipe-token', () => {
  showTokenState();
  render();
});
window.addEventListener('hashchange', render);
showTokenState();
render();
