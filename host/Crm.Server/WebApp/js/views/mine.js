// My private pool, the customer that drops back soonest first, with a live countdown.
import { api, itemsOf, ApiError } from '../api.js';
import { h, clear } from '../dom.js';
import { t, countdown } from '../i18n.js';
import { onEvent } from '../live.js';

export async function mineView(root, { user }) {
  const list = h('ul.list', { id: 'my-customers' });
  clear(root, h('h2', t('mine')), list);

  async function load() {
    // A manager or admin has no private pool of its own: the server does not know it as a rep (404), nothing to show.
    const none = (err) => { if (err instanceof ApiError && err.status === 404) return []; throw err; };
    const [customers, due] = await Promise.all([api.myCustomers(user.id).catch(none), api.due(user.id, 3650).catch(none)]);
    const dropsAt = new Map(due.map((d) => [d.customerId, d.dropsAt]));
    const rows = itemsOf(customers).map((c) => ({ ...c, dropsAt: dropsAt.get(c.id) ?? null }));
    // Soonest drop-back first; customers that never drop back (exempt) last, by name.
    rows.sort((a, b) => (a.dropsAt ? new Date(a.dropsAt) : Infinity) - (b.dropsAt ? new Date(b.dropsAt) : Infinity)
      || a.name.localeCompare(b.name));
    clear(list, rows.length ? rows.map(row) : h('li.muted', t('empty')));
  }

  const row = (c) => h('li.customer', { data: { id: c.id, dropsAt: c.dropsAt ?? '' } },
    h('a', { href: `#/customer/${c.id}` }, h('strong', c.name), c.company ? h('span.muted', ` · ${c.company}`) : null),
    h('span.countdown', c.dropsAt ? countdown(c.dropsAt) : t('noDeadline')),
    h('span.tag', t(`stage.${c.stage}`)));

  const tick = setInterval(() => {
    list.querySelectorAll('li.customer').forEach((li) => {
      if (li.dataset.dropsAt) li.querySelector('.countdown').textContent = countdown(li.dataset.dropsAt);
    });
  }, 30_000);

  const changes = new Set(['CustomerAssigned', 'CustomerClaimed', 'CustomerReleased', 'CustomerRecycled', 'FollowUpAdded', 'RecycleWarning']);
  const off = onEvent((name) => { if (changes.has(name)) load(); });
  await load();
  return () => { clearInterval(tick); off(); };
}
