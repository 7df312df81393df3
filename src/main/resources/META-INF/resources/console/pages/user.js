// User page: pick or create a user, their history, their feed with reasons, like / dislike / buy buttons that post
// events and refresh the feed, and a diversity slider.
import { api, query } from '../api.js';
import { empty, errorBox, h, itemCells, itemLink, replace, uuid } from '../ui.js';

export async function render(main, [userId]) {
  const idInput = h('input', { id: 'user-id', name: 'user', required: true, value: userId || '', placeholder: 'user id', autocomplete: 'off' });
  const known = h('datalist', { id: 'known-users' });
  idInput.setAttribute('list', 'known-users');
  const picker = h('form', { class: 'row', onsubmit: (e) => { e.preventDefault(); location.hash = `#/user/${encodeURIComponent(idInput.value.trim())}`; } },
    h('label', { class: 'grow' }, 'User', idInput), known,
    h('button', { type: 'submit' }, 'Open'),
    h('button', { type: 'button', class: 'secondary', id: 'new-user',
      onclick: () => { location.hash = `#/user/user-${uuid().slice(0, 8)}`; } }, 'New user'));
  replace(main, h('h1', {}, 'Users'), h('div', { class: 'card' }, picker));

  api.get('/v1/users?limit=100').then((res) => {
    for (const u of res.items || []) known.append(h('option', { value: u.id || u }));
  }).catch(() => { /* older servers have no user list: typing an id still works */ });

  if (!userId) {
    main.append(empty('Type a user id you send events for, or press ', h('strong', {}, 'New user'),
      ' to start one from scratch: like a few items and watch the feed follow.'));
    return;
  }

  const diversity = h('input', { id: 'diversity', type: 'range', min: 0, max: 1, step: 0.1, value: 0 });
  const diversityOut = h('output', { for: 'diversity' }, '0');
  const feedEl = h('div', { id: 'feed', 'aria-live': 'polite' });
  const historyEl = h('div', { id: 'history' });
  const status = h('p', { class: 'muted', id: 'feed-status' });
  main.append(h('div', { class: 'grid2' },
    h('section', { class: 'card' },
      h('h2', {}, `Feed for ${userId}`),
      h('div', { class: 'row' }, h('label', { class: 'grow' }, 'Diversity (0 = most similar, 1 = most varied)', diversity), diversityOut),
      status, feedEl),
    h('section', { class: 'card' }, h('h2', {}, 'History'), historyEl)));

  let previous = [];
  async function refreshFeed() {
    try {
      const res = await api.get(`/v1/users/${encodeURIComponent(userId)}/recommendations${query({ k: 10, explain: true, diversity: diversity.value })}`);
      const ids = res.items.map((i) => i.id);
      const fresh = new Set(previous.length ? ids.filter((x) => !previous.includes(x)) : []);
      previous = ids;
      replace(status, `strategy: ${res.strategy}, space ${res.space}`);
      feedEl.dataset.strategy = res.strategy;
      if (res.items.length === 0) {
        replace(feedEl, empty('Nothing to recommend yet: the catalog is empty or still embedding. Add items, then come back.'));
        return;
      }
      replace(feedEl, h('ol', { class: 'results feed' }, res.items.map((it) => h('li', { dataset: { id: it.id }, class: fresh.has(it.id) ? 'overlap' : '' }, ...itemCells(it),
        h('span', { class: 'actions' },
          button('like', 'Like', it), button('dislike', 'Dislike', it), button('purchase', 'Buy', it)),
        h('span', { class: 'reason' }, reason(it.reason))))));
    } catch (e) {
      replace(feedEl, errorBox(e));
    }
  }

  function button(type, label, item) {
    return h('button', { type: 'button', class: type === 'dislike' ? 'secondary' : '', 'aria-label': `${label} ${item.title}`,
      dataset: { action: type }, onclick: () => send(type, item) }, label);
  }

  async function send(type, item) {
    const event = { id: uuid(), user: userId, item: item.id, type };
    try {
      const report = await api.post('/v1/events', [event]);
      if (report && report.rejected) throw new Error(`event rejected: ${JSON.stringify(report.errors || report)}`);
      await Promise.all([refreshFeed(), refreshHistory()]);
    } catch (e) {
      feedEl.prepend(errorBox(e));
    }
  }

  async function refreshHistory() {
    let events;
    try {
      events = (await api.get(`/v1/users/${encodeURIComponent(userId)}/events?limit=50`)).items;
    } catch (e) {
      // a user exists from their first event on: before it, the history is empty, not an error
      if (e.status !== 404) { replace(historyEl, errorBox(e)); return; }
      events = [];
    }
    if (!events.length) {
      replace(historyEl, empty('No events yet. Like, dislike or buy items in the feed to build this user\'s taste.'));
      return;
    }
    replace(historyEl, h('ul', { class: 'results history' }, events.map((e) => h('li', { dataset: { type: e.type, item: e.item } },
      h('span', { class: 'chip' }, verb(e.type)), h('span', { class: 'title' }, itemLink(e.item, e.title || e.item)),
      h('span', { class: 'score' }, new Date(e.timestamp).toLocaleString())))));
  }

  diversity.addEventListener('input', () => { diversityOut.value = diversity.value; });
  diversity.addEventListener('change', refreshFeed);
  await Promise.all([refreshFeed(), refreshHistory()]);
}

function reason(r) {
  if (!r) return '';
  const because = (r.because || []).map((b) => `${verb(b.event_type)} ${b.title || b.id}`);
  switch (r.type) {
    case 'similar_to_history': return because.length ? `because you ${because.join(' and ')}` : 'similar to your history';
    case 'popular': return 'popular right now';
    case 'popular_blend': return because.length ? `popular, and because you ${because.join(' and ')}` : 'popular, blended with your first events';
    case 'new': return 'new in the catalog';
    default: return r.type.replace(/_/g, ' ');
  }
}

function verb(type) {
  return { like: 'liked', dislike: 'disliked', purchase: 'bought', view: 'viewed', click: 'clicked', add_to_cart: 'added to cart', rating: 'rated' }[type] || type;
}
