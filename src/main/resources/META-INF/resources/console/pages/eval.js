// Evaluation page: run the offline evaluation (POST /v1/evaluations, a job) and chart Recall@k and NDCG@k for the
// engine (the hybrid feed), its components (content, collaborative), item-kNN and the baselines (most_popular,
// random) from the job's result.
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
    const jobs = (await api.get('/v1/jobs?limit=50')).items.filter((j) => j.type === 'evaluation');
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
      replace(out, errorBox(e));
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
    if (job.state !== 'done') { replace(out, errorBox(new Error(job.error || `the evaluation ended ${job.state}`))); return; }
    const r = job.result;
    const rows = recommenders(r);
    if (!r.users?.evaluated) {
      replace(out, empty('No user could be evaluated: each needs a few positive events (like, click, buy) over time, ',
        'the later ones held out as the test. Send more events, then run it again.'));
      return;
    }
    const canvas = h('canvas', { id: 'eval-chart', width: 900, height: 320, role: 'img',
      'aria-label': `Recall@${r.k} and NDCG@${r.k} per recommender: ${rows.map((x) => `${x.name} ${x.recall.toFixed(3)} / ${x.ndcg.toFixed(3)}`).join(', ')}` });
    const cell = (v) => h('td', { class: 'num' }, v.toFixed(3));
    replace(out, h('div', { class: 'card' }, h('h2', {}, `Recall@${r.k} and NDCG@${r.k}`),
      h('p', { class: 'muted' }, `${r.users.evaluated} users evaluated (${r.test_items} held-out items, ${r.train_events} training events), `,
        `space ${r.space}, ${r.catalog_items} items, ${new Date(job.finished_at).toLocaleString()}.`,
        // the weights are one long token: in <code> it may wrap, so a phone does not scroll sideways
        r.weights ? [' The engine is the feed with weights ', h('code', {}, r.weights),
          '; cold hits are hits on items nobody had touched in training.'] : ''),
      h('div', { class: 'table-wrap' }, canvas),
      h('div', { class: 'table-wrap' }, h('table', { id: 'eval-table' },
        h('tr', {}, h('th', {}, 'recommender'), [`Recall@${r.k}`, `NDCG@${r.k}`, `HitRate@${r.k}`, 'coverage', 'cold hits'].map((t) => h('th', { class: 'num' }, t))),
        rows.map((x) => h('tr', { dataset: { name: x.name } }, h('td', {}, x.name), cell(x.recall), cell(x.ndcg), cell(x.hitRate), cell(x.coverage),
          h('td', { class: 'num' }, String(x.coldHits))))))));
    chart(canvas, rows);
  }
  return () => { stopped = true; };
}

/** The rows of an evaluation job's result ({recommenders: [{name, recall, ndcg, hit_rate, coverage, cold_hits}]}). */
export function recommenders(result) {
  return (result?.recommenders || []).map((x) => ({
    name: x.name, recall: x.recall ?? 0, ndcg: x.ndcg ?? 0, hitRate: x.hit_rate ?? 0, coverage: x.coverage ?? 0,
    coldHits: x.cold_hits ?? 0 }));
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
