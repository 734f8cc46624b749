// The manager's screen: the team's reps with their private pools and what is due, live activity of the team,
// each pool's collusion cases, and bulk assign/move over a pool's customers.
import { api, itemsOf } from '../api.js';
import { h, clear, toast } from '../dom.js';
import { t, countdown } from '../i18n.js';
import { onEvent } from '../live.js';
import { eventRow } from './alerts.js';

const ACTIVITY = new Set(['FollowUpAdded', 'NoteAdded', 'StageChanged', 'CustomerClaimed', 'CustomerAssigned', 'CustomerReleased',
  'CustomerRecycled', 'CollusionSuspected', 'LeadUnassigned']);

export async function teamView(root) {
  const [users, pools] = await Promise.all([api.users(), api.pools()]);
  const reps = itemsOf(users).filter((u) => u.role === 'rep' && u.active !== false);
  const names = new Map(itemsOf(users).map((u) => [u.id, u.displayName || u.userName]));

  const activity = h('ul.list', { id: 'activity' }, h('li.muted', t('empty')));
  const repList = h('ul.list', { id: 'team-reps' });
  const collusion = h('div', { id: 'collusion' });
  const bulk = h('section.card', { id: 'bulk' });
  clear(root,
    h('section.card', h('h2', t('activity')), activity),
    h('section.card', h('h2', t('reps')), repList),
    h('section.card', h('h2', t('collusion')), collusion),
    bulk);

  const off = onEvent((name, data) => {
    if (!ACTIVITY.has(name)) return;
    activity.querySelector('li.muted')?.remove();
    const row = eventRow({ name, data });
    if (data.repId && names.has(data.repId)) row.prepend(h('strong', `${names.get(data.repId)}: `));
    activity.prepend(row);
    while (activity.children.length > 50) activity.lastChild.remove();
  });

  const repRows = await Promise.all(reps.map(async (rep) => {
    const [owned, due] = await Promise.all([api.myCustomers(rep.id).catch(() => ({ total: 0 })), api.due(rep.id, 7).catch(() => [])]);
    return h('li.rep', { data: { id: rep.id } },
      h('div', h('strong', names.get(rep.id)), h('span.muted', ` · ${t('privatePool')} ${owned.total ?? itemsOf(owned).length} · ${t('dueWeek')} ${due.length}`)),
      due.length ? h('ul.sub', due.map((d) => h('li', h('a', { href: `#/customer/${d.customerId}` }, d.name ?? d.customerId),
        h('span.countdown', countdown(d.dropsAt))))) : null);
  }));
  clear(repList, repRows.length ? repRows : h('li.muted', t('empty')));

  const cases = (await Promise.all(pools.map((p) => api.collusion(p.id).then((list) => list.map((c) => ({ ...c, pool: p.name }))).catch(() => [])))).flat();
  clear(collusion, cases.length ? h('ul.list', cases.map((c) => h('li',
    h('a', { href: `#/customer/${c.customerId}` }, `${c.kind}: ${names.get(c.fromRepId) ?? c.fromRepId} → ${names.get(c.toRepId) ?? c.toRepId}`),
    h('span.muted', ` · ${c.pool}`)))) : h('p.muted', t('noCollusion')));

  renderBulk(bulk, pools, reps, names);
  return off;
}

function renderBulk(section, pools, reps, names) {
  if (!pools.length) return;
  const list = h('ul.list', { id: 'bulk-customers' });
  const poolPicker = h('select', { id: 'bulk-pool', 'aria-label': t('choosePool') }, pools.map((p) => h('option', { value: p.id }, p.name)));
  const repPicker = h('select', { id: 'bulk-rep', 'aria-label': t('assignTo') }, reps.map((r) => h('option', { value: r.id }, names.get(r.id))));
  const targetPool = h('select', { id: 'bulk-target-pool', 'aria-label': t('moveTo') }, pools.map((p) => h('option', { value: p.id }, p.name)));
  const results = h('p.muted', { id: 'bulk-results' });

  async function load() {
    const poolId = poolPicker.value;
    const customers = itemsOf(await api.customers({ poolId }));
    if (poolId !== poolPicker.value) return; // another pool was picked meanwhile: its own load shows it
    clear(list, customers.length ? customers.map((c) => h('li', h('label',
      h('input', { type: 'checkbox', value: c.id }), ' ', c.name,
      h('span.muted', ` · ${c.ownerId ? names.get(c.ownerId) ?? c.ownerId : t('unowned')}`)))) : h('li.muted', t('empty')));
  }
  const selected = () => [...list.querySelectorAll('input:checked')].map((i) => i.value);

  async function assign() {
    results.textContent = '';
    const ids = selected();
    const outcomes = await Promise.all(ids.map((id) => api.assign(id, repPicker.value).then(() => true, () => false)));
    report(outcomes.filter(Boolean).length, outcomes.filter((ok) => !ok).length);
  }
  async function move() {
    results.textContent = '';
    const result = await api.bulkMove(selected(), targetPool.value);
    report(result.succeeded, result.failed);
  }
  async function report(ok, refused) {
    results.textContent = t('results', ok, refused);
    toast(t('results', ok, refused), refused ? 'warn' : 'ok');
    await load();
  }

  poolPicker.addEventListener('change', load);
  clear(section, h('h2', t('bulk')), h('label', t('leads'), ' ', poolPicker), list,
    h('div.inline', h('label', t('assignTo'), ' ', repPicker), h('button', { id: 'bulk-assign', type: 'button', onclick: assign }, t('apply'))),
    h('div.inline', h('label', t('moveTo'), ' ', targetPool), h('button', { id: 'bulk-move', type: 'button', onclick: move }, t('apply'))),
    results);
  load();
}
