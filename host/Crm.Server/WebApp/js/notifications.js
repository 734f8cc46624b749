// What the live connection told this tab, newest first, with an unread count for the bar's badge.
import { onEvent } from './live.js';

const MAX = 100;
const items = [];
let unread = 0;
const listeners = new Set();

export function startCollecting() {
  onEvent((name, data) => {
    items.unshift({ name, data, receivedAt: new Date().toISOString() });
    items.length = Math.min(items.length, MAX);
    unread += 1;
    listeners.forEach((listener) => listener());
  });
}

export const notifications = () => items;
export const unreadCount = () => unread;

export function markRead() {
  unread = 0;
  listeners.forEach((listener) => listener());
}

export function onNotificationsChange(listener) {
  listeners.add(listener);
  return () => listeners.delete(listener);
}
