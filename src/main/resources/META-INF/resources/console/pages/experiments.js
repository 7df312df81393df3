// Experiments page: start an A/B test of feed variants, stop / resume / conclude it, and read its report: per variant
// impressions, users, clicks, conversions, CTR and conversion rate with 95% intervals, the difference to the control
// and whether it is significant, charted as bars with their intervals; click-through per strategy below.
import { api, query } from '../api.js';
import { colour, empty, errorBox, h, replace } from '../ui.js';

const EXAMPLE = [
  { name: 'control', share: 0.5 },
  { name: 'more-content', share: 0.5, weights: 'content:0.3' },
];

export async function render(main, [selected]) {
  const listEl = h('div', { id: 'experiment-list' });
  const reportEl = h('div', { id: 'experiment-report' });
  const strategiesEl = h('div', { id: 'strategy-report' });
  const nameInput = h('input', { id: 'experiment-name', required: true, placeholder: 'feed-weights-december', autocomplete: 'off' });
  const variants = h('textarea', { id: 'experiment-variants', rows: 8, spellcheck: false, class: 'code' },
    JSON.stringify(EXAMPLE, null, 2));
  const startMsg = h('div', { id: 'experiment-message' });
  const days = h('select', { id: 'strategy-days' }, [1, 7, 30, 90].map((d) => h('option', { value: d, selected: d === 7 }, `last ${d} day${d > 1 ? 's' : ''}`)));
  const form = h('form', { onsubmit: (e) => { e.preventDefault(); start(); } },
    h('label', {}, 'Name', nameInput),
    h('label', {}, 'Variants (JSON: name, share, and strategy default|content|popular, weights, rules; the first is the control)', variants),
    h('button', { type: 'submit', id: 'experiment-start' }, 'Start'), startMsg);

  replace(main, h('h1', {}, 'Experiments'),
    h('section', { class: 'card' }, h('h2', {}, 'Experiments'), listEl),
    selected ? h('section', { class: 'card' }, h('h2', {}, `Report: ${selected}`), reportEl) : null,
    h('section', { class: 'card' }, h('h2', {}, 'Start an experiment on the feeds'), form),
    h('section', { class: 'card' }, h('h2', {}, 'Click-through per strategy'), h('label', {}, 'Window', days), strategiesEl));

  async function load() {
    try {
      const list = (await api.get('/v1/experiments')).items;
      if (!list.length) { replace(listEl, empty('No experiment yet: start one below. Feeds then carry experiment and variant.')); return; }
      replace(listEl, h('div', { class: 'table-wrap' }, h('table', {},
        h('tr', {}, ['experiment', 'status', 'variants', 'winner', ''].map((t) => h('th', {}, t))),
        list.map((x) => h('tr', { dataset: { experiment: x.name } },
          h('td', {}, h('a', { href: `#/experiments/${encodeURIComponent(x.name)}` }, x.name)),
          h('td', {}, h('span', { class: 'chip' }, x.status)),
          h('td', {}, x.variants.map((v) => `${v.name} ${Math.round(v.share * 100)}%`).join(', ')),
          h('td', {}, x.winner || ''),
          h('td', {},
            x.status === 'running' ? button('Stop', () => act(x, 'stop')) : null,
            x.status === 'stopped' ? button('Resume', () => act(x, 'resume')) : null,
            x.status !== 'concluded' ? button('Conclude', () => conclude(x)) : null))))));
    } catch (e) {
      replace(listEl, errorBox(e));
    }
  }

  function button(label, onclick) {
    return h('button', { type: 'button', class: 'secondary', dataset: { action: label.toLowerCase() }, onclick }, label);
  }

  async function act(x, action) {
    try { await api.post(`/v1/experiments/${encodeURIComponent(x.name)}/${action}`); } catch (e) { listEl.prepend(errorBox(e)); }
    await load();
  }

  async function conclude(x) {
    const winner = prompt(`Conclude '${x.name}' for good. The winning variant (${x.variants.map((v) => v.name).join(', ')}), or empty:`);
    if (winner === null) return;
    try {
      await api.post(`/v1/experiments/${encodeURIComponent(x.name)}/conclude`, winner.trim() ? { winner: winner.trim() } : {});
    } catch (e) { listEl.prepend(errorBox(e)); }
    await load();
  }

  async function start() {
    replace(startMsg);
    let parsed;
    try { parsed = JSON.parse(variants.value); } catch (e) { replace(startMsg, errorBox(new Error(`the variants are not valid JSON: ${e.message}`))); return; }
    try {
      const x = await api.post('/v1/experiments', { name: nameInput.value.trim(), variants: parsed });
      location.hash = `#/experiments/${encodeURIComponent(x.name)}`;
    } catch (e) {
      replace(startMsg, errorBox(e));
    }
  }

  async function report() {
    try {
      const r = await api.get(`/v1/experiments/${encodeURIComponent(selected)}/report`);
      const canvas = h('canvas', { id: 'experiment-chart', width: 720, height: 260, role: 'img',
        'aria-label': `CTR per variant with 95% intervals: ${r.variants.map((v) => `${v.name} ${pct(v.ctr.value)} (${pct(v.ctr.low)}–${pct(v.ctr.high)})`).join(', ')}` });
      replace(reportEl,
        h('p', { class: 'muted' }, `Status: ${r.status} · control: ${r.control}${r.winner ? ` · winner: ${r.winner}` : ''}. `,
          'Each answer served is a trial; intervals are 95% (Wilson for rates); a difference is significant when its ',
          'two-proportion z-test gives p < 0.05.'),
        h('div', { class: 'table-wrap' }, canvas),
        lines(r.variants, 'experiment-table', true));
      chart(canvas, r.variants);
    } catch (e) {
      replace(reportEl, errorBox(e));
    }
  }

  async function strategies() {
    try {
      const r = await api.get(`/v1/strategies/report${query({ days: days.value })}`);
      replace(strategiesEl, r.strategies.length ? lines(r.strategies, 'strategy-table', false)
        : empty('No answers logged in this window.'));
    } catch (e) {
      replace(strategiesEl, errorBox(e));
    }
  }
  days.addEventListener('change', strategies);

  await Promise.all([load(), selected ? report() : null, strategies()]);
}

function pct(v) {
  return `${(v * 100).toFixed(1)}%`;
}

function interval(r) {
  return h('td', { class: 'num' }, pct(r.value), h('span', { class: 'muted' }, ` [${pct(r.low)}, ${pct(r.high)}]`));
}

function versus(d) {
  if (!d) return h('td', { class: 'muted' }, 'control');
  return h('td', { class: `num ${d.significant ? (d.value > 0 ? 'good' : 'bad') : ''}`, dataset: { significant: d.significant } },
    `${d.value >= 0 ? '+' : ''}${(d.value * 100).toFixed(2)} pts [${(d.low * 100).toFixed(2)}, ${(d.high * 100).toFixed(2)}] `,
    h('span', { class: 'muted' }, `p ${d.p_value < 0.001 ? '< 0.001' : d.p_value.toFixed(3)}${d.significant ? ', significant' : ''}`));
}

/** A report's lines as a table (variants with their difference to the control, or strategies). */
function lines(rows, id, withControl) {
  return h('div', { class: 'table-wrap' }, h('table', { id },
    h('tr', {}, [withControl ? 'variant' : 'strategy', 'impressions', withControl ? 'users' : null, 'clicks', 'CTR',
      withControl ? 'CTR vs control' : null, 'conversions', 'conversion rate', withControl ? 'conversion vs control' : null]
      .filter(Boolean).map((t) => h('th', {}, t))),
    rows.map((v) => h('tr', { dataset: { name: v.name } }, h('td', {}, v.name), h('td', { class: 'num' }, v.impressions),
      withControl ? h('td', { class: 'num' }, v.users ?? '') : null, h('td', { class: 'num' }, v.clicks), interval(v.ctr),
      withControl ? versus(v.ctr_vs_control) : null, h('td', { class: 'num' }, v.conversions), interval(v.conversion_rate),
      withControl ? versus(v.conversion_vs_control) : null))));
}

/** CTR bars per variant with their 95% intervals as whiskers. */
function chart(canvas, rows) {
  const ctx = canvas.getContext('2d');
  const W = canvas.width; const H = canvas.height; const pad = 40;
  ctx.fillStyle = '#fff'; ctx.fillRect(0, 0, W, H);
  const max = Math.max(0.01, ...rows.map((r) => r.ctr.high));
  const group = (W - 2 * pad) / Math.max(1, rows.length); const bw = Math.min(80, group / 2);
  const y = (v) => H - pad - (H - 2 * pad) * (v / max);
  ctx.font = '13px system-ui'; ctx.textAlign = 'center';
  rows.forEach((r, i) => {
    const x = pad + i * group + group / 2;
    ctx.fillStyle = colour(r.name); ctx.fillRect(x - bw / 2, y(r.ctr.value), bw, H - pad - y(r.ctr.value));
    ctx.strokeStyle = '#1d2330'; ctx.lineWidth = 2;
    ctx.beginPath(); ctx.moveTo(x, y(r.ctr.low)); ctx.lineTo(x, y(r.ctr.high));
    ctx.moveTo(x - 8, y(r.ctr.low)); ctx.lineTo(x + 8, y(r.ctr.low));
    ctx.moveTo(x - 8, y(r.ctr.high)); ctx.lineTo(x + 8, y(r.ctr.high)); ctx.stroke();
    ctx.fillStyle = '#1d2330';
    ctx.fillText(pct(r.ctr.value), x, y(r.ctr.high) - 6);
    ctx.fillText(r.name, x, H - pad + 16);
  });
  ctx.textAlign = 'left'; ctx.fillText('CTR (bars) with 95% intervals (whiskers)', pad, 18);
}
