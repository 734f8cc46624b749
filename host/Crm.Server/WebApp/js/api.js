// The REST calls the app makes. Each answers the parsed body, or throws ApiError with the ProblemDetails.
import { authFetch } from './auth.js';

export class ApiError extends Error {
  constructor(status, problem) {
    super(problem?.detail || problem?.title || `HTTP ${status}`);
    this.status = status;
    this.problem = problem || {};
    this.code = problem?.code ?? null;
  }
}

async function call(method, path, body, headers) {
  const init = { method, headers: { ...headers } };
  if (body !== undefined) {
    init.headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  const response = await authFetch(path, init);
  const text = await response.text();
  const data = text ? JSON.parse(text) : null;
  if (!response.ok) throw new ApiError(response.status, data);
  return data;
}

const q = (params) => {
  const search = new URLSearchParams();
  Object.entries(params).forEach(([k, v]) => { if (v !== undefined && v !== null && v !== '') search.set(k, v); });
  const s = search.toString();
  return s ? `?${s}` : '';
};

const id = encodeURIComponent;

export const api = {
  pools: () => call('GET', '/api/pools'),
  poolLeads: (poolId, page = 1) => call('GET', `/api/pools/${id(poolId)}/customers${q({ page, pageSize: 200 })}`),
  collusion: (poolId) => call('GET', `/api/pools/${id(poolId)}/collusion`),
  myCustomers: (repId) => call('GET', `/api/reps/${id(repId)}/customers${q({ pageSize: 500 })}`),
  due: (repId, days) => call('GET', `/api/reps/${id(repId)}/due${q({ days })}`),
  reminders: (repId) => call('GET', `/api/reps/${id(repId)}/reminders`),
  customers: (filter) => call('GET', `/api/customers${q({ pageSize: 200, ...filter })}`),
  customer: (customerId) => call('GET', `/api/customers/${id(customerId)}`),
  timeline: (customerId, before) => call('GET', `/api/customers/${id(customerId)}/timeline${q({ before, limit: 20 })}`),
  claim: (customerId) => call('POST', `/api/customers/${id(customerId)}/claim`),
  release: (customerId, reason) => call('POST', `/api/customers/${id(customerId)}/release`, { reason }),
  assign: (customerId, repId, reason) => call('POST', `/api/customers/${id(customerId)}/assign`, { repId, reason }),
  followUp: (customerId, body) => call('POST', `/api/customers/${id(customerId)}/follow-ups`, body),
  // Only if the customer is still at the version the card shows: 412 when someone changed it meanwhile.
  editCustomer: (customerId, changes, version) => call('PATCH', `/api/customers/${id(customerId)}`, changes, { 'If-Match': `"${version}"` }),
  stage: (customerId, stage, reason) => call('POST', `/api/customers/${id(customerId)}/stage`, { stage, reason }),
  deals: (customerId) => call('GET', `/api/deals${q({ customerId, pageSize: 50 })}`),
  noteTemplates: () => call('GET', '/api/note-templates'),
  addNote: (customerId, templateId, answers) => call('POST', `/api/customers/${id(customerId)}/notes`, { templateId, answers }),
  users: () => call('GET', `/api/users${q({ pageSize: 500 })}`),
  bulkMove: (customerIds, toPoolId, reason) => call('POST', '/api/customers/bulk/move', { customerIds, toPoolId, reason }),
  dashboardSession: () => call('POST', '/api/admin/dashboard-session'),
};

/** A list answer is either { items, total } or a bare array; the screens want the items. */
export const itemsOf = (answer) => (Array.isArray(answer) ? answer : answer?.items ?? []);
