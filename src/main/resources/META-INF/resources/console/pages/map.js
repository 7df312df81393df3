// Embedding map: the saved 2-D projection of a space (GET /v1/spaces/{name}/map), or computed here in a Web Worker
// (umap-js or PCA on a stable sample from /sample) and saved with PUT so later visitors reuse it. Points are written
// straight into the canvas's pixels (a filled path of 20,000 squares took 55 ms a frame in headless Chromium, the
// pixels take a few), overlays drawn on top; hover shows the title, click opens the item; a user's position and feed
// can be overlaid (placed from their nearest projected neighbours). #/map/{space} opens a given space.
import { api, query } from '../api.js';
import { empty, errorBox, h, replace } from '../ui.js';
import { placeFromNeighbours } from '../projection.js';

/** Categories drawn in a colour of their own; the others share a grey. */
const DISTINCT = 20;

const PHASES = { pca: 'PCA', neighbours: 'UMAP step 1 of 3: finding each point\'s 15 nearest neighbours',
  graph: 'UMAP step 2 of 3: building the neighbour graph', layout: 'UMAP step 3 of 3: laying out' };

/** A CSS colour as one pixel of a Uint32Array over canvas ImageData (RGBA bytes, little-endian: ABGR). */
function rgba(css) {
  const ctx = rgba.ctx || (rgba.ctx = new OffscreenCanvas(1, 1).getContext('2d', { willReadFrequently: true }));
  ctx.clearRect(0, 0, 1, 1);
  ctx.fillStyle = css;
  ctx.fillRect(0, 0, 1, 1);
  const [r, g, b] = ctx.getImageData(0, 0, 1, 1).data;
  return ((255 << 24) | (b << 16) | (g << 8) | r) >>> 0;
}

export async function render(main, [spaceParam]) {
  const spaceSel = h('select', { id: 'map-space' });
  const method = h('select', { id: 'map-method' }, h('option', { value: 'umap' }, 'UMAP'), h('option', { value: 'pca' }, 'PCA (fast)'));
  const sampleSel = h('select', { id: 'map-sample' }, [2000, 5000, 10000, 20000].map((n) => h('option', { value: n, selected: n === 5000 }, `${n.toLocaleString()} points`)));
  const computeBtn = h('button', { type: 'button', id: 'map-compute' }, 'Compute map');
  const status = h('div', { id: 'map-status', 'aria-live': 'polite' });
  const bar = h('div', { class: 'progress', id: 'map-progress', role: 'progressbar', 'aria-label': 'map progress', hidden: true }, h('div'));
  const canvas = h('canvas', { id: 'map-canvas', tabindex: 0, 'aria-label': 'embedding map; hover a point for its title, click to open it' });
  const tip = h('div', { class: 'tooltip', id: 'map-tooltip', hidden: true, role: 'status' });
  const legend = h('div', { class: 'legend', id: 'map-legend' });
  const userInput = h('input', { id: 'map-user', placeholder: 'user id', autocomplete: 'off' });
  const itemInput = h('input', { id: 'map-item', placeholder: 'item id', autocomplete: 'off' });
  const overlayMsg = h('div', { id: 'map-overlay-msg' });

  replace(main, h('h1', {}, 'Embedding map'),
    h('div', { class: 'card' },
      h('div', { class: 'row' }, h('label', {}, 'Space', spaceSel), h('label', {}, 'Method', method), h('label', {}, 'Sample', sampleSel), computeBtn),
      status, bar),
    h('div', { class: 'map-wrap' }, canvas, tip),
    legend,
    h('div', { class: 'card' },
      h('form', { class: 'row', onsubmit: (e) => { e.preventDefault(); overlayUser(); } },
        h('label', {}, 'Show a user and their feed', userInput), h('button', { type: 'submit' }, 'Show user')),
      h('form', { class: 'row', onsubmit: (e) => { e.preventDefault(); overlayItem(); } },
        h('label', {}, 'Place an item', itemInput), h('button', { type: 'submit', class: 'secondary' }, 'Place item')),
      overlayMsg));

  let points = [];            // {id, x, y, category, title}
  const byId = new Map();
  let overlay = { user: null, feed: new Set(), item: null };
  let view = { scale: 1, ox: 0, oy: 0 }; // screen = data * scale + offset (CSS pixels)
  let worker = null;

  // ---- drawing ----
  function fit() {
    if (!points.length) return;
    const w = canvas.clientWidth;
    const hgt = canvas.clientHeight;
    let minX = Infinity; let maxX = -Infinity; let minY = Infinity; let maxY = -Infinity;
    for (const p of points) { minX = Math.min(minX, p.x); maxX = Math.max(maxX, p.x); minY = Math.min(minY, p.y); maxY = Math.max(maxY, p.y); }
    const scale = 0.9 * Math.min(w / Math.max(1e-9, maxX - minX), hgt / Math.max(1e-9, maxY - minY));
    view = { scale, ox: w / 2 - scale * (minX + maxX) / 2, oy: hgt / 2 - scale * (minY + maxY) / 2 };
  }
  const sx = (p) => p.x * view.scale + view.ox;
  const sy = (p) => p.y * view.scale + view.oy;

  let groups = new Map();      // category → {rgba, points}, so a frame writes one colour at a time
  let pending = false;
  function draw() {
    if (pending) return;
    pending = true;
    requestAnimationFrame(() => { pending = false; render(); });
  }

  let image = null;            // the frame's pixels, reused while the canvas keeps its size
  function render() {
    const dpr = window.devicePixelRatio || 1;
    const w = canvas.clientWidth;
    const hgt = canvas.clientHeight;
    if (canvas.width !== Math.round(w * dpr) || canvas.height !== Math.round(hgt * dpr)) {
      canvas.width = Math.round(w * dpr);
      canvas.height = Math.round(hgt * dpr);
    }
    const ctx = canvas.getContext('2d');
    const W = canvas.width;
    const H = canvas.height;
    if (W === 0 || H === 0) return; // not laid out: a frame scheduled just before the page was left
    if (!image || image.width !== W || image.height !== H) image = ctx.createImageData(W, H);
    const px = new Uint32Array(image.data.buffer);
    px.fill(0xffffffff);
    const size = points.length > 5000 ? 2.5 : points.length > 1000 ? 4 : 8;
    const side = Math.max(1, Math.round(size * dpr));
    for (const { rgba, points: ps } of groups.values()) {
      for (const p of ps) {
        const x0 = Math.round(sx(p) * dpr - side / 2);
        const y0 = Math.round(sy(p) * dpr - side / 2);
        const x1 = Math.min(W, x0 + side);
        const y1 = Math.min(H, y0 + side);
        for (let y = Math.max(0, y0); y < y1; y++) {
          const row = y * W;
          for (let x = Math.max(0, x0); x < x1; x++) px[row + x] = rgba;
        }
      }
    }
    ctx.putImageData(image, 0, 0);
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    if (overlay.feed.size) {
      ctx.strokeStyle = '#111';
      ctx.lineWidth = 2;
      for (const id of overlay.feed) {
        const p = byId.get(id);
        if (p) { ctx.beginPath(); ctx.arc(sx(p), sy(p), size / 2 + 4, 0, 2 * Math.PI); ctx.stroke(); }
      }
    }
    for (const [mark, fill] of [[overlay.user, '#d7263d'], [overlay.item, '#ff9f1c']]) {
      if (!mark) continue;
      ctx.fillStyle = fill;
      ctx.strokeStyle = '#000';
      ctx.beginPath();
      ctx.arc(sx(mark), sy(mark), 8, 0, 2 * Math.PI);
      ctx.fill();
      ctx.stroke();
      ctx.fillStyle = '#000';
      ctx.font = '600 13px system-ui';
      ctx.fillText(mark.label, sx(mark) + 11, sy(mark) + 4);
    }
  }

  function nearest(mx, my, radius = 8) {
    let best = null;
    let bestD = radius * radius;
    for (const p of points) {
      const dx = sx(p) - mx;
      const dy = sy(p) - my;
      const d = dx * dx + dy * dy;
      if (d < bestD) { bestD = d; best = p; }
    }
    return best;
  }

  // ---- interaction: hover, click, drag to pan, wheel to zoom, keyboard +/- and arrows ----
  let drag = null;
  canvas.addEventListener('pointerdown', (e) => { drag = { x: e.offsetX, y: e.offsetY, moved: false }; });
  canvas.addEventListener('pointermove', (e) => {
    if (drag && (Math.abs(e.offsetX - drag.x) + Math.abs(e.offsetY - drag.y) > 3)) {
      view.ox += e.offsetX - drag.x; view.oy += e.offsetY - drag.y;
      drag = { x: e.offsetX, y: e.offsetY, moved: true };
      tip.hidden = true;
      draw();
      return;
    }
    const p = nearest(e.offsetX, e.offsetY);
    if (!p) { tip.hidden = true; canvas.style.cursor = 'crosshair'; return; }
    replace(tip, p.title || p.id, p.category ? ` · ${p.category}` : '');
    tip.style.left = `${Math.min(e.offsetX + 12, canvas.clientWidth - 200)}px`;
    tip.style.top = `${e.offsetY + 12}px`;
    tip.hidden = false;
    canvas.style.cursor = 'pointer';
  });
  canvas.addEventListener('pointerup', (e) => {
    const wasDrag = drag?.moved;
    drag = null;
    if (wasDrag) return;
    const p = nearest(e.offsetX, e.offsetY);
    if (p) location.hash = `#/item/${encodeURIComponent(p.id)}`;
  });
  canvas.addEventListener('pointerleave', () => { tip.hidden = true; drag = null; });
  const zoom = (factor, cx, cy) => {
    view.ox = cx - (cx - view.ox) * factor; view.oy = cy - (cy - view.oy) * factor; view.scale *= factor; draw();
  };
  canvas.addEventListener('wheel', (e) => { e.preventDefault(); zoom(e.deltaY < 0 ? 1.2 : 1 / 1.2, e.offsetX, e.offsetY); }, { passive: false });
  canvas.addEventListener('keydown', (e) => {
    const cx = canvas.clientWidth / 2; const cy = canvas.clientHeight / 2;
    const moves = { ArrowLeft: [40, 0], ArrowRight: [-40, 0], ArrowUp: [0, 40], ArrowDown: [0, -40] };
    if (e.key === '+' || e.key === '=') zoom(1.2, cx, cy);
    else if (e.key === '-') zoom(1 / 1.2, cx, cy);
    else if (e.key === '0') { fit(); draw(); }
    else if (moves[e.key]) { view.ox += moves[e.key][0]; view.oy += moves[e.key][1]; draw(); }
    else return;
    e.preventDefault();
  });
  const onResize = () => { fit(); draw(); };
  window.addEventListener('resize', onResize);

  function show(map) {
    points = map.points;
    byId.clear();
    const byCategory = new Map();
    for (const p of points) {
      byId.set(p.id, p);
      const c = p.category || '(none)';
      if (!byCategory.has(c)) byCategory.set(c, []);
      byCategory.get(c).push(p);
    }
    // Colours by size rank, a golden angle of hue apart, so the largest categories never share one; the tail is grey.
    const ranked = [...byCategory].sort((a, b) => b[1].length - a[1].length);
    const css = (i) => (i < DISTINCT && ranked[i][0] !== '(none)' ? `hsl(${Math.round(i * 137.508) % 360} 70% 42%)` : 'hsl(220 8% 62%)');
    groups = new Map(ranked.map(([c, ps], i) => [c, { rgba: rgba(css(i)), points: ps }]));
    replace(legend, ranked.slice(0, DISTINCT).map(([c, ps], i) => h('span', { style: `--c: ${css(i)}` }, `${c} (${ps.length.toLocaleString()})`)),
      ranked.length > DISTINCT ? h('span', { style: `--c: ${css(DISTINCT)}` }, `${ranked.length - DISTINCT} more categories (${ranked.slice(DISTINCT).reduce((n, [, ps]) => n + ps.length, 0).toLocaleString()})`) : null);
    canvas.dataset.points = points.length;
    fit();
    draw();
  }

  // Test and debugging hook: where a point is drawn, in CSS pixels relative to the canvas.
  window.embedrecMap = { count: () => points.length, screenOf: (id) => { const p = byId.get(id); return p ? { x: sx(p), y: sy(p) } : null; }, ids: () => points.map((p) => p.id),
    // one frame drawn now, rasterised (getImageData waits for it), in milliseconds
    timeDraw: () => { const t = performance.now(); render(); canvas.getContext('2d').getImageData(0, 0, 1, 1); return performance.now() - t; } };

  // ---- loading and computing ----
  async function load() {
    replace(status, h('p', { class: 'muted' }, 'Loading the saved map…'));
    points = []; byId.clear(); groups = new Map(); overlay = { user: null, feed: new Set(), item: null }; replace(legend); draw();
    try {
      const map = await api.get(`/v1/spaces/${encodeURIComponent(spaceSel.value)}/map`);
      replace(status, h('p', { class: 'muted' }, `${map.method.toUpperCase()} of ${map.points.length.toLocaleString()} items, computed ${new Date(map.created_at).toLocaleString()}`),
        map.stale ? h('p', { class: 'error', id: 'map-stale' }, `${map.changed} of ${map.vector_count} vectors changed since: recompute the map to see them.`) : null);
      show(map);
    } catch (e) {
      if (e.status === 404) {
        replace(status, empty('No map saved for this space yet. Press ', h('strong', {}, 'Compute map'),
          ': it projects a sample of the vectors in your browser and saves the result (an admin key is needed to save), so other visitors reuse it.'));
      } else {
        replace(status, errorBox(e));
      }
    }
  }

  function progress(fraction, label) {
    bar.hidden = false;
    bar.firstChild.style.width = `${Math.round(fraction * 100)}%`;
    bar.setAttribute('aria-valuenow', Math.round(fraction * 100));
    replace(status, h('p', { class: 'muted', id: 'map-progress-text' }, label));
  }

  async function compute() {
    computeBtn.disabled = true;
    const started = performance.now();
    let last = { fraction: 0, label: 'Fetching a sample of vectors…' };
    // The worker is silent for seconds inside some UMAP phases: the elapsed time keeps moving meanwhile.
    const report = (fraction, label) => {
      last = { fraction, label };
      progress(fraction, `${label} · ${Math.round((performance.now() - started) / 1000)} s`);
    };
    const ticker = setInterval(() => report(last.fraction, last.label), 1000);
    try {
      report(0, last.label);
      const space = spaceSel.value;
      const sample = await api.get(`/v1/spaces/${encodeURIComponent(space)}/sample${query({ n: sampleSel.value })}`);
      canvas.dataset.fetchSeconds = ((performance.now() - started) / 1000).toFixed(1);
      if (!sample.items.length) {
        replace(status, empty('This space has no vectors yet. Wait for embedding to finish (see Jobs), then compute the map.'));
        return;
      }
      const n = sample.items.length.toLocaleString();
      const xy = await new Promise((resolve, reject) => {
        worker = new Worker(new URL('../map-worker.js', import.meta.url), { type: 'module' });
        worker.onmessage = ({ data }) => {
          if (data.type === 'progress') report(data.fraction, `${PHASES[data.phase] || data.phase} · ${n} points · ${Math.round(data.fraction * 100)}%`);
          else if (data.type === 'done') resolve(data.points);
          else reject(new Error(data.message));
        };
        worker.onerror = (e) => reject(new Error(e.message || 'the map worker failed'));
        worker.postMessage({ vectors: sample.items.map((i) => i.vector), method: method.value });
      });
      worker.terminate(); worker = null;
      const round = (v) => Math.round(v * 1e4) / 1e4;
      const computed = sample.items.map((it, i) => ({ id: it.id, x: round(xy[i][0]), y: round(xy[i][1]), category: it.category, title: it.title }));
      show({ points: computed });
      const seconds = ((performance.now() - started) / 1000).toFixed(1);
      canvas.dataset.computeSeconds = seconds;
      report(1, 'Saving the map…');
      try {
        const saved = await api.put(`/v1/spaces/${encodeURIComponent(space)}/map`, {
          method: method.value, vector_count: sample.total, points: computed.map(({ id, x, y }) => ({ id, x, y })) });
        replace(status, h('p', { class: 'muted', id: 'map-saved' }, `Saved: ${saved.method.toUpperCase()} of ${saved.points.length.toLocaleString()} items, computed in ${seconds} s. Visitors now see this map.`));
      } catch (e) {
        replace(status, h('p', {}, 'The map is drawn but was not saved, so it lasts until you leave this page.'), errorBox(e));
      }
    } catch (e) {
      replace(status, errorBox(e));
    } finally {
      clearInterval(ticker);
      bar.hidden = true;
      computeBtn.disabled = false;
      if (worker) { worker.terminate(); worker = null; }
    }
  }

  async function overlayUser() {
    const user = userInput.value.trim();
    if (!user || !points.length) return;
    try {
      const feed = await api.get(`/v1/users/${encodeURIComponent(user)}/recommendations${query({ k: 20, space: spaceSel.value })}`);
      overlay.feed = new Set(feed.items.map((i) => i.id));
      const at = placeFromNeighbours(feed.items, byId);
      overlay.user = at ? { ...at, label: user } : null;
      const onMap = feed.items.filter((i) => byId.has(i.id)).length;
      replace(overlayMsg, h('p', { class: 'muted' }, at
        ? `${user}: red dot, placed among the ${onMap} of their ${feed.items.length} feed items that are on the map (circled).`
        : `None of ${user}'s feed items is in the map's sample; compute a map with a larger sample.`));
      draw();
    } catch (e) {
      replace(overlayMsg, errorBox(e));
    }
  }

  async function overlayItem() {
    const id = itemInput.value.trim();
    if (!id || !points.length) return;
    try {
      const res = await api.get(`/v1/items/${encodeURIComponent(id)}/similar${query({ k: 10, space: spaceSel.value })}`);
      const at = byId.get(id) || placeFromNeighbours(res.items, byId);
      overlay.item = at ? { x: at.x, y: at.y, label: id } : null;
      replace(overlayMsg, h('p', { class: 'muted' }, at ? `${id}: orange dot${byId.has(id) ? '' : ', placed from its nearest neighbours on the map'}.` : `No neighbour of ${id} is on the map.`));
      draw();
    } catch (e) {
      replace(overlayMsg, errorBox(e));
    }
  }

  computeBtn.addEventListener('click', compute);
  spaceSel.addEventListener('change', () => { history.replaceState(null, '', `#/map/${encodeURIComponent(spaceSel.value)}`); load(); });
  try {
    const spaces = (await api.get('/v1/spaces')).items;
    const chosen = spaces.some((s) => s.name === spaceParam) ? spaceParam : spaces.find((s) => s.active)?.name;
    replace(spaceSel, spaces.map((s) => h('option', { value: s.name, selected: s.name === chosen }, `${s.name}${s.active ? ' (active)' : ''}`)));
    if (!spaces.length) { replace(status, empty('No space exists yet.')); return undefined; }
    await load();
  } catch (e) {
    replace(status, errorBox(e));
  }
  return () => { window.removeEventListener('resize', onResize); if (worker) worker.terminate(); delete window.embedrecMap; };
}
