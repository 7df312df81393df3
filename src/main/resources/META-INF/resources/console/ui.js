// Small DOM helpers: elements are built with h(), never from HTML strings, so titles from the catalog cannot inject.
import { ApiError } from './api.js';

export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
    else if (k === 'class') el.className = v;
    else if (k === 'dataset') Object.assign(el.dataset, v);
    else if (k in el && typeof v !== 'string') el[k] = v;
    else el.setAttribute(k, v === true ? '' : v);
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const c of children.flat(Infinity)) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
}

export function replace(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

/** A problem+json error as a person reads it: title, detail, then each field error. */
export function errorBox(err) {
  const e = err instanceof ApiError ? err : new ApiError(0, { title: 'Something went wrong', detail: String(err?.message || err) });
  const hint = e.status === 401 ? ' Enter an API key with the "API key" button above.'
    : e.status === 403 ? ' Your key lacks the scope this needs; use an admin key.' : '';
  return h('div', { class: 'error', role: 'alert' },
    h('strong', {}, e.title), e.detail ? `: ${e.detail}${hint && !/[.!?]$/.test(e.detail) ? '.' : ''}` : '', hint,
    e.errors.length ? h('ul', {}, e.errors.map((x) => h('li', {}, x.field ? `${x.field}: ` : '', x.message || JSON.stringify(x)))) : null);
}

export function empty(...children) {
  return h('div', { class: 'empty' }, ...children);
}

export function score(s) {
  return h('span', { class: 'score', title: 'score' }, typeof s === 'number' ? s.toFixed(3) : '');
}

export function chips(categories = []) {
  return (categories || []).map((c) => h('span', { class: 'chip' }, c));
}

export function itemLink(id, title) {
  return h('a', { href: `#/item/${encodeURIComponent(id)}` }, title || id);
}

/** The same colour for a category everywhere (hash → hue). */
export function colour(category) {
  if (!category) return 'hsl(220 10% 60%)';
  let hash = 0;
  for (const ch of category) hash = (hash * 31 + ch.charCodeAt(0)) | 0;
  return `hsl(${((hash % 360) + 360) % 360} 65% 45%)`;
}

export function uuid() {
  return crypto.randomUUID ? crypto.randomUUID() : `${Date.now()}-${Math.random().toString(16).slice(2)}`;
}

/** The cells every item list shows: linked title, categories, score. */
export function itemCells(it) {
  return [h('span', { class: 'title' }, itemLink(it.id, it.title)), h('span', {}, chips(it.categories)), score(it.score)];
}
