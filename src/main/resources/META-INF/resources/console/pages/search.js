// Search: a text box → semantic (or hybrid/keyword) results with title, categories and score; category and
// attribute filters from GET /v1/facets.
import { api } from '../api.js';
import { empty, errorBox, h, itemCells, replace } from '../ui.js';

export async function render(main) {
  const results = h('div', { id: 'search-results', 'aria-live': 'polite' });
  const category = h('select', { id: 'search-category', name: 'category' }, h('option', { value: '' }, 'any category'));
  const attribute = h('select', { id: 'search-attr', name: 'attribute' }, h('option', { value: '' }, 'no attribute filter'));
  const attrValue = h('input', { id: 'search-attr-value', name: 'value', placeholder: 'value', size: 8 });
  const attrMin = h('input', { id: 'search-attr-min', name: 'min', placeholder: 'min', type: 'number', step: 'any', size: 6 });
  const attrMax = h('input', { id: 'search-attr-max', name: 'max', placeholder: 'max', type: 'number', step: 'any', size: 6 });
  const input = h('input', { id: 'q', type: 'search', name: 'query', required: true, placeholder: 'e.g. draw vector graphics', autocomplete: 'off' });
  const mode = h('select', { id: 'search-mode', name: 'mode' }, ['semantic', 'hybrid', 'keyword'].map((m) => h('option', { value: m }, m)));
  const types = new Map();

  const syncAttr = () => {
    const numeric = types.get(attribute.value) === 'number';
    attrValue.hidden = !attribute.value || numeric;
    attrMin.hidden = attrMax.hidden = !numeric;
  };
  attribute.addEventListener('change', syncAttr);

  const form = h('form', { class: 'row', role: 'search', onsubmit: (e) => { e.preventDefault(); search(); } },
    h('label', { class: 'grow' }, 'Search the catalog', input),
    h('label', {}, 'Mode', mode),
    h('label', {}, 'Category', category),
    h('label', {}, 'Attribute', attribute),
    attrValue, attrMin, attrMax,
    h('button', { type: 'submit' }, 'Search'));

  replace(main, h('h1', {}, 'Search'), h('div', { class: 'card' }, form), results);
  syncAttr();
  input.focus();

  try {
    const facets = await api.get('/v1/facets');
    for (const c of facets.categories) category.append(h('option', { value: c.name }, `${c.name} (${c.count})`));
    for (const a of facets.attributes) {
      types.set(a.name, a.type);
      attribute.append(h('option', { value: a.name }, `${a.name} (${a.type})`));
    }
    if (facets.categories.length === 0 && facets.attributes.length === 0) {
      replace(results, empty(h('strong', {}, 'The catalog is empty. '),
        'Add items with ', h('code', {}, 'PUT /v1/items/{id}'), ' or import NDJSON with ',
        h('code', {}, 'POST /v1/items/import'), ' (', h('code', {}, 'scripts/demo.sh'), ' loads a demo catalog), then search here.'));
    } else {
      replace(results, empty('Type what you are looking for, in your own words, and press Enter.'));
    }
  } catch (e) {
    replace(results, errorBox(e));
  }

  async function search() {
    const filters = {};
    if (category.value) filters.categories = [category.value];
    if (attribute.value) {
      if (types.get(attribute.value) === 'number') {
        const range = {};
        if (attrMin.value !== '') range.min = Number(attrMin.value);
        if (attrMax.value !== '') range.max = Number(attrMax.value);
        if (Object.keys(range).length) filters.ranges = { [attribute.value]: range };
      } else if (attrValue.value !== '') {
        const t = types.get(attribute.value);
        filters.attributes = { [attribute.value]: t === 'boolean' ? attrValue.value === 'true' : attrValue.value };
      }
    }
    replace(results, h('p', { class: 'muted' }, 'Searching…'));
    try {
      const res = await api.post('/v1/search', { query: input.value, k: 20, mode: mode.value, filters });
      if (res.items.length === 0) {
        replace(results, empty('No items match. Remove a filter, or try other words.'));
        return;
      }
      replace(results, h('p', { class: 'muted' }, `${res.items.length} results (${res.mode}, space ${res.space})`),
        h('ol', { class: 'results card' }, res.items.map((it) => h('li', { class: 'result', dataset: { id: it.id } }, ...itemCells(it)))));
    } catch (e) {
      replace(results, errorBox(e));
    }
  }
}
