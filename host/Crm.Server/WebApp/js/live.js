// The live connection to /hubs/reps: one per signed-in tab. Screens subscribe to event names; pools they show are
// watched (RepHub.WatchPool) so a lead a colleague claims leaves the list at once.
import { accessToken } from './auth.js';

const EVENTS = ['CustomerAssigned', 'CustomerClaimed', 'CustomerReleased', 'CustomerRecycled', 'RecycleWarning',
  'FollowUpAdded', 'StageChanged', 'CustomerEdited', 'DuplicateFlagged', 'NoteAdded', 'LeadUnassigned', 'CollusionSuspected', 'ImportProgress',
  'DealCreated', 'DealStageChanged', 'DealWon', 'DealLost'];

const handlers = new Set();
const watchedPools = new Set();
let connection = null;
let ready = null;

/** handler(eventName, data) for every event; returns the unsubscribe function. */
export function onEvent(handler) {
  handlers.add(handler);
  return () => handlers.delete(handler);
}

export function start() {
  if (connection) return ready;
  const signalR = window.signalR;
  connection = new signalR.HubConnectionBuilder()
    .withUrl('/hubs/reps', { accessTokenFactory: () => accessToken() })
    .withAutomaticReconnect()
    .configureLogging(signalR.LogLevel.Warning)
    .build();
  for (const name of EVENTS) {
    connection.on(name, (data) => handlers.forEach((handler) => handler(name, data)));
  }
  connection.onreconnected(async () => {
    for (const poolId of watchedPools) await connection.invoke('WatchPool', poolId);
    setState('live');
  });
  connection.onreconnecting(() => setState('reconnecting'));
  connection.onclose(() => setState('offline'));
  // Channels() answers once the server has joined this connection to its channels: from then on nothing is missed.
  const starting = connection;
  ready = starting.start().then(() => starting.invoke('Channels')).then(() => setState('live')).catch((err) => {
    // The next screen tries again.
    if (connection === starting) {
      connection = null;
      ready = null;
    }
    setState('offline');
    throw err;
  });
  return ready;
}

export async function stop() {
  const closing = connection;
  connection = null;
  ready = null;
  watchedPools.clear();
  if (closing) await closing.stop();
}

/** Hears the pool's claims, assignments, releases and recycles until unwatchPool. */
export async function watchPool(poolId) {
  await ready;
  if (!connection || watchedPools.has(poolId)) return;
  watchedPools.add(poolId);
  await connection.invoke('WatchPool', poolId);
}

export async function unwatchPool(poolId) {
  if (!connection || !watchedPools.delete(poolId)) return;
  await connection.invoke('UnwatchPool', poolId);
}

function setState(state) {
  document.body.dataset.live = state;
}
