// Rules page: saved rule sets (filters, boosts, buries, pins) with their versions; edit one as JSON and save a new
// version (optionally the default); preview a user's feed without rules and with the set, side by side, each moved
// item showing the rules that moved it.
import { api, query } from '../api.js';
import { empty, errorBox, h, itemCells, replace } from '../ui.js';

const EXAMPLE = [
  { name: 'fresh', effect: 'filter', when: { not_seen_within_days: 30 } },
  { name: 'boost-books', effect: 'boost', by: 0.2, when: { categories: ['books'] } },
  { name: 'hot', effect: 'boost', by: 0.1, when: { trending: true } },
  { name: 'promo', effect: 'pin', items: ['some-item-id'], position: 1 },
];

export async function render(main, [selected]) {
  const listEl = h('div', { id: 'rule-sets' });
  const nameInput = h('input', { id: 'rules-name', required: true, placeholder: 'storefront', autocomplete: 'off',
    pattern: '[A-Za-z0-9][A-Za-z0-9_.\\-]{0,63}' });
  const text = h('textarea', { id: 'rules-json', rows: 14, spellcheck: false, class: 'code' });
  const isDefault = h('input', { id: 'rules-default', type: 'checkbox' });
  const saveMsg = h('div', { id: 'rules-message' });
  const userInput = h('input', { id: 'preview-user', placeholder: 'user id', autocomplete: 'off' });
  const before = h('div', { id: 'preview-before' });
  const after = h('div', { id: 'preview-after' });
  const afterTitle = h('h3', {}, 'With the rules');

  const editor = h('form', { onsubmit: (e) => { e.preventDefault(); save(); } },
    h('div', { class: 'row' }, h('label', { class: 'grow' }, 'Name', nameInput),
      h('label', { class: 'check' }, isDefault, ' default (applies when a request names no set)')),
    h('label', {}, 'Rules (JSON list: filter, boost, bury, pin)', text),
    h('div', { class: 'row' }, h('button', { type: 'submit', id: 'rules-save' }, 'Save a new version'),
      h('button', { type: 'button', class: 'danger', id: 'rules-delete', onclick: remove }, 'Delete set')),
    saveMsg);
  const preview = h('form', { class: 'row', onsubmit: (e) => { e.preventDefault(); showPreview(); } },
    h('label', { class: 'grow' }, 'User', userInput), h('button', { type: 'submit', id: 'preview-run' }, 'Preview'));

  replace(main, h('h1', {}, 'Rules'),
    h('section', { class: 'card' }, h('h2', {}, 'Rule sets'), listEl),
    h('section', { class: 'card' }, h('h2', {}, 'Edit'), editor),
    h('section', { class: 'card' }, h('h2', {}, 'Preview a feed'),
      h('p', { class: 'muted' }, 'The saved set\'s latest version against no rules at all, for one user.'), preview,
      h('div', { class: 'grid2' }, h('div', {}, h('h3', {}, 'Without rules'), before), h('div', {}, afterTitle, after))));

  async function load() {
    try {
      const sets = (await api.get('/v1/rules')).items;
      if (!sets.length) {
        replace(listEl, empty('No rule set yet. Write one below; a set marked default applies to every request that names none.'));
      } else {
        replace(listEl, h('div', { class: 'table-wrap' }, h('table', {},
          h('tr', {}, ['set', 'version', 'rules', 'saved', ''].map((t) => h('th', {}, t))),
          sets.map((s) => h('tr', { dataset: { set: s.name } },
            h('td', {}, s.name, s.is_default ? h('span', { class: 'chip' }, 'default') : ''), h('td', {}, s.version),
            h('td', {}, s.rules.map((r) => `${r.name} (${r.effect})`).join(', ')), h('td', {}, new Date(s.created_at).toLocaleString()),
            h('td', {}, h('button', { type: 'button', class: 'secondary', onclick: () => { location.hash = `#/rules/${encodeURIComponent(s.name)}`; } }, 'Edit')))))));
      }
      const current = sets.find((s) => s.name === selected);
      nameInput.value = current ? current.name : (selected || '');
      text.value = JSON.stringify(current ? current.rules : EXAMPLE, null, 2);
      isDefault.checked = Boolean(current?.is_default);
    } catch (e) {
      replace(listEl, errorBox(e));
    }
  }

  async function save() {
    replace(saveMsg);
    let rules;
    try {
      rules = JSON.parse(text.value);
    } catch (e) {
      replace(saveMsg, errorBox(new Error(`the rules are not valid JSON: ${e.message}`)));
      return;
    }
    try {
      const saved = await api.put(`/v1/rules/${encodeURIComponent(nameInput.value.trim())}`, { rules, default: isDefault.checked });
      replace(saveMsg, h('p', { class: 'ok', id: 'rules-saved' }, `Saved ${saved.name} version ${saved.version}.`));
      selected = saved.name;
      if (location.hash !== `#/rules/${encodeURIComponent(saved.name)}`) history.replaceState(null, '', `#/rules/${encodeURIComponent(saved.name)}`);
      await load();
    } catch (e) {
      replace(saveMsg, errorBox(e));
    }
  }

  async function remove() {
    const name = nameInput.value.trim();
    if (!name || !confirm(`Delete rule set '${name}' with all its versions?`)) return;
    try {
      await api.del(`/v1/rules/${encodeURIComponent(name)}`);
      location.hash = '#/rules';
    } catch (e) {
      replace(saveMsg, errorBox(e));
    }
  }

  async function showPreview() {
    const user = userInput.value.trim();
    const set = nameInput.value.trim();
    if (!user || !set) return;
    afterTitle.textContent = `With ${set}`;
    const feed = (rules) => api.get(`/v1/users/${encodeURIComponent(user)}/recommendations${query({ k: 10, rules })}`);
    const show = (el, res) => replace(el, res.items.length
      ? h('ol', { class: 'results' }, res.items.map((it) => h('li', { dataset: { id: it.id } }, ...itemCells(it),
        it.reason?.rules ? h('span', { class: 'reason' }, it.reason.rules.map((r) => `${r.rule} ${r.effect}`).join(', ')) : null)))
      : empty('No items.'));
    replace(before, h('p', { class: 'muted' }, 'Loading…'));
    replace(after, h('p', { class: 'muted' }, 'Loading…'));
    try { show(before, await feed('none')); } catch (e) { replace(before, errorBox(e)); }
    try { show(after, await feed(set)); } catch (e) { replace(after, errorBox(e)); }
  }

  await load();
}
