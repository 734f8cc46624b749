// The app's shell: the bar, the hash router and the live connection's lifetime.
import { currentUser, logout, onSessionChange } from './auth.js';
import { api } from './api.js';
import { h, clear, toast } from './dom.js';
import { t, language, setLanguage } from './i18n.js';
import * as live from './live.js';
import { startCollecting, unreadCount, onNotificationsChange } from './notifications.js';
import { loginView } from './views/login.js';
import { mineView } from './views/mine.js';
import { poolView } from './views/pool.js';
import { customerView } from './views/customer.js';
import { alertsView } from './views/alerts.js';
import { teamView } from './views/team.js';

const routes = [
  [/^#\/mine$/, mineView],
  [/^#\/pool(?:\/([\w-]+))?$/, poolView],
  [/^#\/customer\/([\w-]+)$/, customerView],
  [/^#\/alerts$/, alertsView],
  [/^#\/team$/, teamView],
];

const view = document.getElementById('view');
let leave = null;

const isManager = (user) => user && (user.role === 'manager' || user.role === 'admin');

let renders = 0;

/** Shows the screen of the current hash; a newer render wins, and an older one that finishes late is stopped at once. */
async function render() {
  const ticket = ++renders;
  const user = currentUser();
  if (leave) {
    const done = leave;
    leave = null;
    await done();
  }
  renderBar(user);
  if (!user) {
    loginView(view, { onSignedIn: () => go(isManager(currentUser()) ? '#/team' : '#/mine') });
    return;
  }
  live.start().catch((err) => toast(t('error', err.message), 'error'));
  const hash = location.hash || (isManager(user) ? '#/team' : '#/mine');
  const route = routes.find(([pattern]) => pattern.test(hash));
  if (!route) {
    go(isManager(user) ? '#/team' : '#/mine');
    return;
  }
  clear(view, h('p.muted', t('loading')));
  let stop = null;
  try {
    stop = (await route[1](view, { user, params: hash.match(route[0]).slice(1) })) || null;
  } catch (err) {
    if (ticket === renders) clear(view, h('p.error', t('error', err.message)));
  }
  if (ticket === renders) leave = stop;
  else if (stop) await stop();
}

/** Navigates to a hash; the same hash renders again (no hashchange event would). */
function go(hash) {
  if (location.hash === hash) render();
  else location.hash = hash;
}

function renderBar(user) {
  const bar = document.getElementById('bar');
  bar.hidden = !user;
  if (!user) return;
  const link = (href, label, extra) => h('a', { href, class: location.hash.startsWith(href) ? 'active' : null }, label, extra);
  const badge = h('span.badge', { id: 'alert-count', hidden: unreadCount() === 0 }, String(unreadCount()));
  clear(bar,
    h('nav',
      link('#/mine', t('mine')),
      link('#/pool', t('pool')),
      link('#/alerts', t('alerts'), badge),
      isManager(user) ? link('#/team', t('team')) : null),
    h('div.who',
      h('span.live-dot', { title: t('live') }),
      h('span.user', { id: 'user-name' }, user.name),
      user.role === 'admin' ? h('button.link', { id: 'open-dashboard', type: 'button', onclick: openDashboard }, t('dashboard')) : null,
      h('button.link', { id: 'lang', type: 'button', onclick: switchLanguage }, t('language')),
      h('button.link', { id: 'sign-out', type: 'button', onclick: () => logout() }, t('signOut'))));
}

async function openDashboard() {
  // The dashboard is a page of its own: the server sets this token as a cookie scoped to /dashboard first.
  const session = await api.dashboardSession();
  window.open(session.url, '_blank', 'noopener');
}

function switchLanguage() {
  setLanguage(language() === 'zh' ? 'en' : 'zh');
  render();
}

onNotificationsChange(() => {
  const badge = document.getElementById('alert-count');
  if (badge) {
    badge.textContent = String(unreadCount());
    badge.hidden = unreadCount() === 0;
  }
});

onSessionChange(async (session) => {
  if (!session) {
    await live.stop();
    go('');
  }
});

startCollecting();
window.addEventListener('hashchange', render);
render();
