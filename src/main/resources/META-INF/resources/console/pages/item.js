// Item page: details and availability, vector status per space, "more like this" with scores, two spaces side by
// side with the neighbours both return highlighted, what is bought together with it, and what trends in its
// category.
import { api, query } from '../api.js';
import { chips, empty, errorBox, h, itemCells, replace } from '../ui.js';

export async function render(main, [id]) {
  if (!id) { location.hash = '#/search'; return; }
  replace(main, h('p', { class: 'muted' }, 'Loading…'));
  let item;
  let spaces = [];
  try {
    [item, spaces] = await Promise.all([
      api.get(`/v1/items/${encodeURIComponent(id)}`),
      api.get('/v1/spaces').then((s) => s.items).catch(() => []),
    ]);
  } catch (e) {
    replace(main, h('h1', {}, id), errorBox(e), h('p', {}, h('a', { href: '#/search' }, 'Back to search')));
    return;
  }
  const active = spaces.find((s) => s.active)?.name || spaces[0]?.name || '';
  const vectors = Object.entries(item.vectors || {});
  const attrs = Object.entries(item.attributes || {});

  const pick = (id, sel) => h('select', { id }, spaces.map((s) => h('option', { value: s.name, selected: s.name === sel },
    `${s.name} (${s.model}${s.active ? ', active' : ''})`)));
  const left = pick('space-left', active);
  const right = pick('space-right', spaces.find((s) => s.name !== active)?.name || active);
  const leftList = h('div', { id: 'similar-left' });
  const rightList = h('div', { id: 'similar-right' });

  replace(main,
    h('p', {}, h('a', { href: '#/search' }, '← Search')),
    h('h1', { id: 'item-title' }, item.title),
    h('div', { class: 'card' },
      h('p', {}, chips(item.categories), h('span', { class: 'muted' }, ` id ${item.id}`)),
      h('p', { id: 'item-availability' }, availability(item)),
      item.description ? h('p', { id: 'item-description' }, item.description) : null,
      attrs.length ? h('dl', { class: 'attrs' }, attrs.flatMap(([k, v]) => [h('dt', {}, k), h('dd', {}, String(v))])) : null,
      h('h2', {}, 'Vector status'),
      vectors.length
        ? h('table', { id: 'vector-status' }, h('tr', {}, h('th', {}, 'space'), h('th', {}, 'status'), h('th', {}, 'reason')),
          vectors.map(([space, v]) => h('tr', {}, h('td', {}, space), h('td', {}, v.status), h('td', {}, v.reason || ''))))
        : h('p', { class: 'muted' }, 'No vector in any space yet: it is queued for embedding, or no space exists.')),
    h('h2', {}, 'More like this'),
    spaces.length > 1
      ? h('p', { class: 'muted' }, 'Pick two spaces to compare their neighbours; items both return are highlighted.')
      : h('p', { class: 'muted' }, 'Create a second space on the Jobs page to compare models side by side.'),
    h('div', { class: 'grid2' },
      h('div', { class: 'card' }, h('label', {}, 'Space', left), leftList),
      spaces.length > 1 ? h('div', { class: 'card' }, h('label', {}, 'Compare with', right), rightList) : null));

  async function load(space, el) {
    try {
      const res = await api.get(`/v1/items/${encodeURIComponent(id)}/similar${query({ k: 10, space })}`);
      return res.items;
    } catch (e) {
      replace(el, errorBox(e));
      return null;
    }
  }

  async function refresh() {
    replace(leftList, h('p', { class: 'muted' }, 'Loading…'));
    if (spaces.length > 1) replace(rightList, h('p', { class: 'muted' }, 'Loading…'));
    const [a, b] = await Promise.all([load(left.value, leftList), spaces.length > 1 ? load(right.value, rightList) : null]);
    const both = new Set((a || []).map((x) => x.id).filter((x) => (b || []).some((y) => y.id === x)));
    const list = (items, el) => {
      if (!items) return;
      if (items.length === 0) { replace(el, empty('No neighbours yet: the vectors may still be embedding (see Jobs).')); return; }
      replace(el, h('ol', { class: 'results similar' }, items.map((it) => h('li', { class: b && both.has(it.id) ? 'overlap' : '', dataset: { id: it.id } }, ...itemCells(it)))),
      b ? h('p', { class: 'muted' }, `${both.size} of ${items.length} in both`) : null);
    };
    list(a, leftList);
    list(b, rightList);
  }
  const together = h('div', { id: 'together' }, h('p', { class: 'muted' }, 'Loading…'));
  const trending = h('div', { id: 'trending' }, h('p', { class: 'muted' }, 'Loading…'));
  const category = (item.categories || [])[0];
  main.append(h('div', { class: 'grid2' },
    h('section', { class: 'card' }, h('h2', {}, 'Bought together'), together),
    h('section', { class: 'card' }, h('h2', {}, category ? `Trending in ${category}` : 'Trending'), trending)));
  api.get(`/v1/items/${encodeURIComponent(id)}/together${query({ k: 5 })}`).then((res) => replace(together,
    res.items.length
      ? h('ol', { class: 'results' }, res.items.map((it) => h('li', { dataset: { id: it.id } }, ...itemCells(it),
        h('span', { class: 'muted' }, ` ${it.support} users`))))
      : empty(res.reason || 'Nothing is bought together with it yet.'))).catch((e) => replace(together, errorBox(e)));
  api.get(`/v1/trending${query({ k: 5, category })}`).then((res) => replace(trending,
    res.items.length
      ? h('ol', { class: 'results' }, res.items.map((it) => h('li', { dataset: { id: it.id }, class: it.id === id ? 'overlap' : '' },
        ...itemCells(it))))
      : empty('Nothing trends here now: trending needs recent events well above an item\'s usual rate.')))
    .catch((e) => replace(trending, errorBox(e)));

  left.addEventListener('change', refresh);
  right.addEventListener('change', refresh);
  if (spaces.length === 0) replace(leftList, empty('No vector space exists yet; it is created at start-up.'));
  else refresh();
}

/** Whether the item is on offer now, and its sale window. */
export function availability(item, now = new Date()) {
  const from = item.available_from ? new Date(item.available_from) : null;
  const until = item.available_until ? new Date(item.available_until) : null;
  const offered = item.available !== false && (!from || from <= now) && (!until || until > now);
  const window = [from ? `from ${from.toLocaleString()}` : '', until ? `until ${until.toLocaleString()}` : ''].filter(Boolean).join(' ');
  return `${offered ? 'On offer' : 'Not on offer: never recommended'}${item.available === false ? ' (marked unavailable)' : ''}`
    + `${window ? ` · sale window ${window}` : ''}`;
}
