// A public pool's unowned leads with claim. The pool is watched over SignalR: a lead a colleague claims (or a
// manager assigns) leaves this list at once; one released or dropped back appears.
import { api, itemsOf, ApiError } from '../api.js';
import { h, clear, toast } from '../dom.js';
import { t, formatTime } from '../i18n.js';
import { onEvent, watchPool, unwatchPool } from '../live.js';

export async function poolView(root, { params: [wanted] }) {
  const pools = await api.pools();
  if (!pools.length) {
    clear(root, h('h2', t('pool')), h('p.muted', t('empty')));
    return null;
  }
  const pool = pools.find((p) => p.id === wanted) ?? pools[0];
  const picker = pools.length > 1
    ? h('select', { id: 'pool-picker', 'aria-label': t('choosePool'), onchange: (e) => { location.hash = `#/pool/${e.target.value}`; } },
      pools.map((p) => h('option', { value: p.id, selected: p.id === pool.id }, p.name)))
    : h('span.muted', pool.name);
  const list = h('ul.list', { id: 'pool-leads', data: { poolId: pool.id } });
  clear(root, h('h2', t('pool'), ' ', picker), list);

  async function load() {
    const leads = itemsOf(await api.poolLeads(pool.id));
    clear(list, leads.length ? leads.map(row) : h('li.muted', t('empty')));
  }

  const row = (c) => h('li.lead', { data: { id: c.id } },
    h('div', h('strong', c.name), c.company ? h('span.muted', ` · ${c.company}`) : null, h('div.muted.small', formatTime(c.createdAt))),
    h('button.claim', { type: 'button', onclick: (e) => claim(c, e.target) }, t('claim')));

  async function claim(customer, button) {
    button.disabled = true;
    try {
      await api.claim(customer.id);
      drop(customer.id);
      toast(t('claimed', customer.name), 'ok');
    } catch (err) {
      button.disabled = false;
      if (err instanceof ApiError && err.code === 'already-owned') {
        drop(customer.id);
        toast(t('goneToColleague', customer.name), 'warn');
      } else {
        toast(t('error', err.message), 'error');
      }
    }
  }

  function drop(customerId) {
    list.querySelector(`li.lead[data-id="${customerId}"]`)?.remove();
    if (!list.querySelector('li.lead')) clear(list, h('li.muted', t('empty')));
  }

  const off = onEvent((name, data) => {
    if (name === 'CustomerClaimed' || name === 'CustomerAssigned') drop(data.customerId);
    else if (name === 'CustomerReleased' || name === 'CustomerRecycled') load();
  });
  await watchPool(pool.id);
  await load();
  list.dataset.ready = 'true';
  return async () => { off(); await unwatchPool(pool.id); };
}
