// Evaluation page: run the offline evaluation (POST /v1/evaluations, a job) and chart Recall@k and NDCG@k for the
// engine and the baselines. Servers without evaluations get an empty state that says so.
import { api } from '../api.js';
import { colour, empty, errorBox, h, replace } from '../ui.js';

const ENDED = ['done', 'failed', 'cancelled'];

export async function render(main) {
  const k = h('input', { id: 'eval-k', type: 'number', min: 1, max: 100, value: 10, size: 4 });
  const out = h('div', { id: 'eval-result', 'aria-live': 'polite' });
  const form = h('form', { class: 'row', onsubmit: (e) => { e.preventDefault(); run(); } },
    h('label', {}, 'k', k), h('button', { type: 'submit', id: 'eval-run' }, 'Run evaluation'));
  replace(main, h('h1', {}, 'Offline evaluation'),
    h('div', { class: 'card' }, h('p', { class: 'muted' }, 'Holds out each user\'s latest events and measures how well each strategy recovers them.'), form), out);
  let stopped = false;

  // show the latest finished evaluation, if any
  try {
    const jobs = (await api.get('/v1/jobs?limit=50')).items.filter((j) => /eval/i.test(j.type));
    const last = jobs.find((j) => j.state === 'done');
    if (last) showJob(last);
    else replace(out, empty('No evaluation has run yet. Press ', h('strong', {}, 'Run evaluation'), ' (it needs users with a few events each).'));
  } catch (e) {
    replace(out, errorBox(e));
  }

  async function run() {
    replace(out, h('p', { class: 'muted' }, 'Starting…'));
    let job;
    try {
      job = await api.post('/v1/evaluations', { k: Number(k.value) });
    } catch (e) {
      if (e.status === 404 || e.status === 405) {
        replace(out, empty('This server has no offline evaluation yet (POST /v1/evaluations answered ', String(e.status),
          '). Upgrade embedrec to a version with evaluations, then run it here.'));
      } else {
        replace(out, errorBox(e));
      }
      return;
    }
    while (!stopped && job.id && !ENDED.includes(job.state) && !job.result) {
      replace(out, h('p', { class: 'muted' }, `Evaluating… ${job.done ?? 0} of ${job.total ?? '?'}`));
      await new Promise((r) => setTimeout(r, 700));
      try { job = await api.get(`/v1/jobs/${job.id}`); } catch (e) { replace(out, errorBox(e)); return; }
    }
    showJob(job);
  }

  function showJob(job) {
    if (job.state === 'failed') { replace(out, errorBox(new Error(job.error || 'the evaluation failed'))); return; }
    const rows = strategies(job.result);
    if (!rows.length) { replace(out, empty('The evaluation finished without results: send more events (several per user), then run it again.')); return; }
    const canvas = h('canvas', { id: 'eval-chart', width: 900, height: 320, role: 'img', 'aria-label': 'Recall and NDCG per strategy' });
    replace(out, h('div', { class: 'card' }, h('h2', {}, `Recall@${job.result?.k ?? job.params?.k ?? k.value} and NDCG`),
      h('div', { class: 'table-wrap' }, canvas),
      h('table', { id: 'eval-table' }, h('tr', {}, h('th', {}, 'strategy'), h('th', {}, 'Recall'), h('th', {}, 'NDCG')),
        rows.map((r) => h('tr', {}, h('td', {}, r.name), h('td', {}, r.recall.toFixed(4)), h('td', {}, r.ndcg.toFixed(4)))))));
    chart(canvas, rows);
  }
  return () => { stopped = true; };
}

/** Accepts the likely shapes: {strategies: {name: metrics}}, {strategies: [{name, ...}]}, {name: metrics}, [...]. */
export function strategies(result) {
  if (!result) return [];
  let list = result.strategies ?? result.results ?? result;
  if (!Array.isArray(list)) list = Object.entries(list).filter(([, v]) => v && typeof v === 'object').map(([name, v]) => ({ name, ...v }));
  const metric = (o, re) => {
    for (const [key, v] of Object.entries(o)) {
      if (!re.test(key)) continue;
      if (typeof v === 'number') return v;
      if (v && typeof v === 'object') { const n = Object.values(v).find((x) => typeof x === 'number'); if (n !== undefined) return n; }
    }
    return NaN;
  };
  return list.map((o) => ({ name: o.name ?? o.strategy ?? '?', recall: metric(o, /recall/i), ndcg: metric(o, /ndcg/i) }))
    .filter((r) => Number.isFinite(r.recall) || Number.isFinite(r.ndcg))
    .map((r) => ({ ...r, recall: Number.isFinite(r.recall) ? r.recall : 0, ndcg: Number.isFinite(r.ndcg) ? r.ndcg : 0 }));
}

function chart(canvas, rows) {
  const ctx = canvas.getContext('2d');
  const W = canvas.width; const H = canvas.height; const pad = 40;
  ctx.fillStyle = '#fff'; ctx.fillRect(0, 0, W, H);
  const max = Math.max(0.01, ...rows.flatMap((r) => [r.recall, r.ndcg]));
  const group = (W - 2 * pad) / rows.length; const bw = Math.min(50, group / 3);
  ctx.font = '13px system-ui'; ctx.textAlign = 'center';
  rows.forEach((r, i) => {
    [[r.recall, colour('recall')], [r.ndcg, colour('ndcg')]].forEach(([v, c], j) => {
      const x = pad + i * group + group / 2 - bw + j * bw; const hgt = (H - 2 * pad) * (v / max);
      ctx.fillStyle = c; ctx.fillRect(x, H - pad - hgt, bw - 4, hgt);
      ctx.fillStyle = '#1d2330'; ctx.fillText(v.toFixed(3), x + bw / 2 - 2, H - pad - hgt - 4);
    });
    ctx.fillText(r.name, pad + i * group + group / 2, H - pad + 16);
  });
  ctx.textAlign = 'left';
  ctx.fillStyle = colour('recall'); ctx.fillRect(pad, 8, 12, 12); ctx.fillStyle = '#1d2330'; ctx.fillText('Recall', pad + 16, 19);
  ctx.fillStyle = colour('ndcg'); ctx.fillRect(pad + 80, 8, 12, 12); ctx.fillStyle = '#1d2330'; ctx.fillText('NDCG', pad + 96, 19);
}
