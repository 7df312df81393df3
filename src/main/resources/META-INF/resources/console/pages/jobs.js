// Jobs page: start a re-embed, watch it live (SSE: progress bar, items/s, ETA), cancel it; past jobs; spaces with
// activate / roll back; the catalog's embedding in the background (after an import: no job, a queue) with its own
// progress bar and ETA estimated from the counts.
import { api, streamEvents } from '../api.js';
import { empty, errorBox, h, replace } from '../ui.js';

const ENDED = ['done', 'failed', 'cancelled'];

export async function render(main) {
  const spaceSel = h('select', { id: 'job-space', name: 'space', required: true });
  const scopeSel = h('select', { id: 'job-scope', name: 'scope' },
    h('option', { value: 'stale' }, 'stale: only changed, pending or failed items'),
    h('option', { value: 'all' }, 'all: every item'));
  const startMsg = h('div');
  const live = h('div', { id: 'live-job' });
  const jobsEl = h('div', { id: 'job-list' });
  const backlogEl = h('div', { id: 'catalog-progress' });
  const spacesEl = h('div', { id: 'space-list' });
  const form = h('form', { class: 'row', onsubmit: (e) => { e.preventDefault(); start(); } },
    h('label', {}, 'Space', spaceSel), h('label', {}, 'Scope', scopeSel), h('button', { type: 'submit', id: 'start-job' }, 'Start re-embed'));
  replace(main, h('h1', {}, 'Jobs & spaces'),
    h('section', { class: 'card' }, h('h2', {}, 'Re-embed a space'), form, startMsg, live, backlogEl),
    h('section', { class: 'card' }, h('h2', {}, 'Spaces'), spacesEl),
    h('section', { class: 'card' }, h('h2', {}, 'Past jobs'), jobsEl));

  const abort = new AbortController();
  let watching = null;
  const seen = {}; // space name -> { done, at }: the last poll's counts, for the rate

  async function loadSpaces() {
    try {
      const spaces = (await api.get('/v1/spaces')).items;
      const chosen = spaceSel.value;
      // only content spaces are re-embedded (a collaborative one is trained); the active one first
      const content = spaces.filter((s) => s.kind !== 'collaborative').sort((a, b) => Number(b.active) - Number(a.active));
      replace(spaceSel, content.map((s) => h('option', { value: s.name, selected: s.name === chosen || (!chosen && s.active) },
        `${s.name}${s.active ? ' (active)' : ''}`)));
      showBacklog(spaces);
      if (!spaces.length) { replace(spacesEl, empty('No space yet: the default one is created at start-up.')); return; }
      replace(spacesEl, h('div', { class: 'table-wrap' }, h('table', {},
        h('tr', {}, ['space', 'model', 'status', 'ready', 'pending', 'failed', ''].map((t) => h('th', {}, t))),
        spaces.map((s) => h('tr', { dataset: { space: s.name } },
          h('td', {}, s.name, s.active ? h('span', { class: 'chip' }, 'active') : ''), h('td', {}, s.model), h('td', {}, s.status),
          h('td', {}, s.vectors.ready), h('td', {}, s.vectors.pending), h('td', {}, s.vectors.failed),
          h('td', {}, s.active ? '' : h('button', { type: 'button', class: 'secondary', disabled: s.status !== 'ready',
            title: s.status !== 'ready' ? 'the space is still building' : '',
            onclick: () => activate(s) }, s.activated_at ? 'Roll back to this' : 'Activate')))))));
    } catch (e) {
      replace(spacesEl, errorBox(e));
    }
  }

  /** Spaces still embedding queued items (an import's first embedding runs without a job): a bar and an ETA. */
  function showBacklog(spaces) {
    const now = Date.now();
    const rows = [];
    for (const s of spaces.filter((x) => x.kind !== 'collaborative')) {
      const p = backlog(s.vectors, seen[s.name], now);
      seen[s.name] = { done: p.done, at: now };
      if (!p.total || p.pending === 0) continue;
      rows.push(h('div', { class: 'backlog', dataset: { space: s.name } },
        h('p', {}, `Embedding the catalog into ${s.name}: `, h('span', { class: 'backlog-text' }, p.text)),
        h('div', { class: 'progress', role: 'progressbar', 'aria-valuemin': 0, 'aria-valuemax': 100,
          'aria-valuenow': p.percent, 'aria-label': `embedding progress of ${s.name}` },
        h('div', { style: `width: ${p.percent}%` }))));
    }
    replace(backlogEl, rows.length ? [h('h2', {}, 'Embedding in the background'), ...rows] : []);
  }

  async function activate(space) {
    if (!confirm(`Serve recommendations from space '${space.name}'? The switch is instant and can be rolled back.`)) return;
    try {
      await api.post(`/v1/spaces/${encodeURIComponent(space.name)}/activate`);
      await loadSpaces();
    } catch (e) {
      spacesEl.prepend(errorBox(e));
    }
  }

  async function loadJobs() {
    try {
      const jobs = (await api.get('/v1/jobs?limit=20')).items;
      if (!jobs.length) { replace(jobsEl, empty('No jobs yet. Start a re-embed above; creating a space also starts one.')); return; }
      replace(jobsEl, h('div', { class: 'table-wrap' }, h('table', {},
        h('tr', {}, ['created', 'type', 'space', 'state', 'done / total', 'items/s', ''].map((t) => h('th', {}, t))),
        jobs.map((j) => h('tr', {},
          h('td', {}, new Date(j.created_at).toLocaleString()), h('td', {}, j.type), h('td', {}, j.params?.space || ''),
          h('td', {}, j.state), h('td', {}, `${j.done} / ${j.total}`), h('td', {}, j.items_per_second ?? ''),
          h('td', {}, ENDED.includes(j.state) ? '' : h('button', { type: 'button', class: 'secondary', onclick: () => watch(j) }, 'Watch')))))));
    } catch (e) {
      replace(jobsEl, errorBox(e));
    }
  }

  async function start() {
    replace(startMsg);
    try {
      const job = await api.post('/v1/jobs/reembed', { space: spaceSel.value, scope: scopeSel.value });
      watch(job);
      loadJobs();
    } catch (e) {
      replace(startMsg, errorBox(e));
    }
  }

  function watch(job) {
    if (watching) watching.abort();
    watching = new AbortController();
    const bar = h('div', { class: 'progress', id: 'job-progress', role: 'progressbar', 'aria-valuemin': 0, 'aria-valuemax': 100, 'aria-valuenow': 0, 'aria-label': 'job progress' }, h('div'));
    const text = h('p', { id: 'job-progress-text' });
    const cancel = h('button', { type: 'button', class: 'danger', id: 'cancel-job', onclick: async () => {
      try { show(await api.post(`/v1/jobs/${job.id}/cancel`)); } catch (e) { live.append(errorBox(e)); }
    } }, 'Cancel');
    replace(live, h('h2', {}, `Job ${job.id.slice(0, 8)} · ${job.params?.scope || ''} re-embed of ${job.params?.space || ''}`), bar, text, cancel);
    function show(j) {
      const pct = j.total > 0 ? Math.floor(((j.done + j.failed) / j.total) * 100) : (ENDED.includes(j.state) ? 100 : 0);
      const value = j.state === 'done' ? 100 : Math.min(100, pct);
      bar.dataset.state = j.state;
      bar.setAttribute('aria-valuenow', value);
      bar.firstChild.style.width = `${value}%`;
      const eta = j.eta_seconds == null ? '' : ` · ETA ${j.eta_seconds < 90 ? `${j.eta_seconds} s` : `${Math.round(j.eta_seconds / 60)} min`}`;
      replace(text, `${j.state} · ${value}% · ${j.done} of ${j.total} done${j.failed ? `, ${j.failed} failed` : ''}`,
        j.items_per_second != null ? ` · ${j.items_per_second} items/s` : '', ENDED.includes(j.state) ? '' : eta,
        j.error ? ` · ${j.error}` : '');
      cancel.hidden = ENDED.includes(j.state);
      if (ENDED.includes(j.state)) { loadJobs(); loadSpaces(); }
    }
    show(job);
    streamEvents(`/v1/jobs/${job.id}/progress`, show, watching.signal).catch((e) => {
      if (e.name !== 'AbortError') live.append(errorBox(e));
    });
  }

  await Promise.all([loadSpaces(), loadJobs()]);
  const timer = setInterval(loadSpaces, 3000);
  return () => { clearInterval(timer); abort.abort(); if (watching) watching.abort(); };
}

/**
 * A space's background embedding from its vector counts ({ready, pending, failed}) and the previous poll's
 * ({done, at} or undefined): done = ready + failed of total; the rate from the change since the previous poll; the
 * ETA from the rate. Pure.
 */
export function backlog(vectors, previous, now) {
  const ready = vectors?.ready || 0;
  const pending = vectors?.pending || 0;
  const failed = vectors?.failed || 0;
  const total = ready + pending + failed;
  const done = ready + failed;
  const percent = total ? Math.floor((done / total) * 100) : 100;
  let rate = null;
  if (previous && now > previous.at && done >= previous.done) rate = ((done - previous.done) * 1000) / (now - previous.at);
  const eta = rate ? pending / rate : null;
  const text = `${done} of ${total} (${percent}%)${failed ? `, ${failed} failed` : ''}`
    + (rate == null ? ' · measuring the rate…' : rate === 0 ? ' · waiting for the workers' : ` · ${rate.toFixed(1)} items/s · ETA ${
      eta < 90 ? `${Math.ceil(eta)} s` : `${Math.round(eta / 60)} min`}`);
  return { total, done, pending, percent, rate, eta, text };
}
