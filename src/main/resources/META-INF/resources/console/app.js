// The console: a hash-routed single-page app on the public /v1 API. Each page module exports render(main, params).
import { apiKey } from './api.js';
import { h, replace } from './ui.js';

const pages = {
  search: () => import('./pages/search.js'),
  item: () => import('./pages/item.js'),
  user: () => import('./pages/user.js'),
  jobs: () => import('./pages/jobs.js'),
  map: () => import('./pages/map.js'),
  eval: () => import('./pages/eval.js'),
  rules: () => import('./pages/rules.js'),
  experiments: () => import('./pages/experiments.js'),
};

let cleanup = null;
let navigation = 0;

async function route() {
  const seq = ++navigation;
  const [name = 'search', ...rest] = location.hash.replace(/^#\/?/, '').split('/');
  const page = pages[name] ? name : 'search';
  for (const a of document.querySelectorAll('.top nav a')) {
    a.classList.toggle('current', a.dataset.page === page || (page === 'item' && a.dataset.page === 'search'));
    if (a.classList.contains('current')) a.setAttribute('aria-current', 'page'); else a.removeAttribute('aria-current');
  }
  if (cleanup) { cleanup(); cleanup = null; }
  const main = document.getElementById('main');
  const module = await pages[page]();
  // a page's code fetched for the first time can arrive after the code of a page navigated to later
  if (seq !== navigation) return;
  main.dataset.page = page;
  // Each visit renders into a fresh element: a slower earlier page still finishing its requests then writes into a
  // detached element instead of over the page the person has moved on to.
  const view = h('div', { class: 'view' });
  replace(main, view);
  const done = await module.render(view, rest.map(decodeURIComponent));
  if (view.isConnected) cleanup = done || null;
  else if (done) done();
}

/** The header button says whether this tab holds a key (never which). */
function keyState() {
  const set = Boolean(apiKey.get());
  const button = document.getElementById('key-button');
  button.textContent = set ? 'API key ✓' : 'API key';
  button.title = set ? 'A key is kept in this tab\'s session storage; press to change or forget it' : 'Enter an API key';
}

function keyForm(show) {
  const form = document.getElementById('key-form');
  form.hidden = !show;
  if (show) document.getElementById('key-input').focus();
}

document.getElementById('key-button').addEventListener('click', () => keyForm(document.getElementById('key-form').hidden));
document.getElementById('key-form').addEventListener('submit', (e) => {
  e.preventDefault();
  apiKey.set(document.getElementById('key-input').value.trim());
  document.getElementById('key-input').value = '';
  keyForm(false);
  keyState();
  document.getElementById('banner').hidden = true;
  route();
});
document.getElementById('key-clear').addEventListener('click', () => { apiKey.clear(); keyState(); keyForm(false); route(); });
window.addEventListener('embedrec:auth', ({ detail: { error, key } }) => {
  const banner = document.getElementById('banner');
  if (error.status === 401 && key && key === apiKey.get()) { apiKey.clear(); keyState(); } // a rejected key is not kept
  replace(banner, error.status === 403
    ? `Your API key is not allowed to do that: ${error.detail}`
    : key
      ? `The service did not accept that API key (${error.detail}). Enter a valid one.`
      : 'This service needs an API key. Enter one with the "API key" button (it stays in this tab only).');
  banner.hidden = false;
  if (error.status === 401) keyForm(true);
});
window.addEventListener('hashchange', route);
keyState();
route();
