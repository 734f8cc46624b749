// Alerts: what arrived live in this session, the follow-ups that notes scheduled and have come, and what drops back
// within three days.
import { api } from '../api.js';
import { h, clear } from '../dom.js';
import { t, formatTime, countdown } from '../i18n.js';
import { notifications, markRead, onNotificationsChange } from '../notifications.js';

export async function alertsView(root, { user }) {
  const liveList = h('ul.list', { id: 'live-events' });
  const reminders = h('ul.list', { id: 'reminders' });
  const due = h('ul.list', { id: 'due-soon' });
  clear(root,
    h('section.card', h('h2', t('liveEvents')), liveList),
    h('section.card', h('h2', t('reminders')), reminders),
    h('section.card', h('h2', t('dueSoon')), due));

  const renderLive = () => clear(liveList, notifications().length ? notifications().map(eventRow) : h('li.muted', t('empty')));
  renderLive();
  markRead();
  const off = onNotificationsChange(renderLive);

  const [reminderItems, dueItems] = await Promise.all([
    api.reminders(user.id).catch(() => []),
    api.due(user.id, 3).catch(() => []),
  ]);
  clear(reminders, reminderItems.length ? reminderItems.map((r) => h('li',
    h('a', { href: `#/customer/${r.customerId}` }, r.customerName), h('span.muted', ` · ${formatTime(r.dueAt)}`))) : h('li.muted', t('empty')));
  clear(due, dueItems.length ? dueItems.map((d) => h('li',
    h('a', { href: `#/customer/${d.customerId}` }, d.name ?? d.customerId), h('span.countdown', countdown(d.dropsAt)))) : h('li.muted', t('empty')));
  return () => { off(); markRead(); };
}

/** One live event: what happened, to which customer, when; links to the card. */
export function eventRow({ name, data }) {
  const what = [t(`event.${name}`), data.outcome, data.text, data.reason].filter(Boolean).join(' · ');
  return h('li.event', { data: { event: name, customerId: data.customerId ?? '' } },
    data.customerId ? h('a', { href: `#/customer/${data.customerId}` }, what) : h('span', what),
    h('span.muted.small', ` ${formatTime(data.at)}`));
}
