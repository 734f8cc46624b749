// A customer's card: profile, stage, follow-up form, quick note, and the timeline a page at a time. The timeline
// refreshes when this customer's follow-ups, notes or stage changes arrive over SignalR (a manager sees a rep's
// follow-up without reloading).
import { api, itemsOf, ApiError } from '../api.js';
import { h, clear, toast } from '../dom.js';
import { t, formatTime } from '../i18n.js';
import { onEvent } from '../live.js';
import { noteForm } from './note-form.js';

const STAGES = ['lead', 'opportunity', 'customer', 'lost', 'invalid'];
const TYPES = ['visit', 'call', 'message', 'email'];

export async function customerView(root, { user, params: [customerId] }) {
  const [customer, templates] = await Promise.all([api.customer(customerId), api.noteTemplates().catch(() => [])]);
  const deals = h('section.card', { id: 'deals', hidden: true }, h('h3', t('deals')));
  const dealList = h('ul.list');
  deals.append(dealList);

  async function loadDeals() {
    const items = itemsOf(await api.deals(customerId).catch(() => []));
    deals.hidden = !items.length;
    clear(dealList, items.map((d) => h('li.deal', { data: { id: d.id, status: d.status } },
      h('div', h('strong', d.title), h('div.muted.small', [d.stageKey, `${d.probability}%`,
        d.expectedCloseDate ? t('closesBy', d.expectedCloseDate) : null].filter(Boolean).join(' · '))),
      h('span', `${formatMoney(d.amount, d.currency)} `, h('span.tag', t(`status.${d.status}`))))));
  }
  const timeline = h('ol.timeline', { id: 'timeline' });
  const older = h('button.link', { id: 'older', type: 'button', hidden: true }, t('older'));
  let nextBefore = null;

  async function loadFirstPage() {
    const page = await api.timeline(customerId);
    clear(timeline, page.items.map(entry));
    nextBefore = page.nextBefore;
    older.hidden = !nextBefore;
  }

  older.addEventListener('click', async () => {
    const page = await api.timeline(customerId, nextBefore);
    timeline.append(...page.items.map(entry));
    nextBefore = page.nextBefore;
    older.hidden = !nextBefore;
  });

  let profile = profileCard(customer, user, shown);
  // An edit answers the customer as it is now: the card shows it, and its version guards the next edit.
  function shown(saved) {
    const next = profileCard(saved, user, shown);
    profile.replaceWith(next);
    profile = next;
    loadFirstPage();
  }

  clear(root, profile, deals, followUpForm(customerId), noteSection(customerId, templates),
    h('section.card', h('h3', t('timeline')), timeline, older));

  const mine = new Set(['FollowUpAdded', 'NoteAdded', 'StageChanged', 'CustomerEdited', 'CustomerAssigned', 'CustomerClaimed', 'CustomerReleased', 'CustomerRecycled']);
  const off = onEvent((name, data) => {
    if (data.customerId !== customerId) return;
    if (name === 'CustomerEdited') api.customer(customerId).then(shown).catch(() => {}); // a colleague's or manager's edit: card and timeline
    else if (mine.has(name)) loadFirstPage();
    if (name.startsWith('Deal')) { loadDeals(); loadFirstPage(); }
  });
  await Promise.all([loadFirstPage(), loadDeals()]);
  return off;
}

function formatMoney(amount, currency) {
  try {
    return new Intl.NumberFormat(undefined, { style: 'currency', currency }).format(amount);
  } catch {
    return `${amount} ${currency}`;
  }
}

function entry(e) {
  const d = e.data || {};
  const detail = e.kind === 'follow-up' ? [t(`type.${d.type}`), d.outcome].filter(Boolean).join(' · ')
    : e.kind === 'stage-changed' ? `${t(`stage.${d.from}`)} → ${t(`stage.${d.to}`)}` : null;
  return h('li', { data: { kind: e.kind, seq: e.seq } },
    h('div.meta', h('strong', t(`kind.${e.kind}`)), h('span.muted.small', ` ${formatTime(e.at)}`)),
    detail ? h('div.detail', detail) : null,
    e.text ? h('div.text', e.text) : null,
    e.reason ? h('div.muted', e.reason) : null);
}

function profileCard(customer, user, onSaved) {
  const details = detailsForm(customer, onSaved);
  const edit = h('button.link', { id: 'edit-details', type: 'button', onclick: () => { details.hidden = !details.hidden; } }, t('editDetails'));
  return h('section.card', { id: 'profile' },
    h('h2', customer.name),
    h('dl',
      customer.company ? [h('dt', t('company')), h('dd', customer.company)] : null,
      customer.phone ? [h('dt', t('phone')), h('dd', h('a', { href: `tel:${customer.phone}` }, customer.phone))] : null,
      customer.email ? [h('dt', t('email')), h('dd', customer.email)] : null,
      customer.address ? [h('dt', t('address')), h('dd', customer.address)] : null,
      h('dt', t('owner')), h('dd', { id: 'owner' }, customer.ownerId === user.id ? t('you') : customer.ownerId ?? t('unowned'))),
    stageForm(customer), edit, details);
}

// The contact details, sent as the changed fields only (an emptied field clears it), conditional on the card's version.
function detailsForm(customer, onSaved) {
  const limits = { name: 200, company: 200, phone: 40, email: 254, address: 500 };
  const inputs = Object.fromEntries(Object.entries(limits).map(([field, max]) =>
    [field, h('input', { name: field, value: customer[field] ?? '', maxlength: max, required: field === 'name' })]));
  const form = h('form.card', { id: 'details-form', hidden: true }, h('h3', t('editDetails')),
    Object.keys(limits).map((field) => h('label', t(field), ' ', inputs[field])), h('button', { type: 'submit' }, t('save')));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const changes = Object.fromEntries(Object.keys(limits).map((f) => [f, inputs[f].value.trim()]).filter(([f, v]) => v !== (customer[f] ?? '')));
    if (!Object.keys(changes).length) {
      form.hidden = true;
      return;
    }
    await run(async () => {
      try {
        onSaved(await api.editCustomer(customer.id, changes, customer.version));
      } catch (err) {
        throw err instanceof ApiError && err.status === 412 ? new Error(t('staleEdit')) : err;
      }
    });
  });
  return form;
}

function stageForm(customer) {
  const select = h('select', { name: 'stage', 'aria-label': t('stage') },
    STAGES.map((s) => h('option', { value: s, selected: s === customer.stage }, t(`stage.${s}`))));
  const form = h('form.inline', { id: 'stage-form' }, h('label', t('stage'), ' ', select), h('button', { type: 'submit' }, t('save')));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    await run(() => api.stage(customer.id, select.value));
  });
  return form;
}

function followUpForm(customerId) {
  let type = 'call';
  const types = h('div.choices', { role: 'group', 'aria-label': t('type') }, TYPES.map((value) => h('button.choice', {
    type: 'button', 'aria-pressed': String(value === type), data: { value },
    onclick: (e) => {
      type = value;
      types.querySelectorAll('button').forEach((b) => b.setAttribute('aria-pressed', String(b.dataset.value === type)));
      e.preventDefault();
    },
  }, t(`type.${value}`))));
  const outcome = h('input', { name: 'outcome', required: true, maxlength: 200, placeholder: t('outcome') });
  const text = h('textarea', { name: 'text', rows: 2, maxlength: 4000, placeholder: t('text') });
  const form = h('form.card', { id: 'follow-up-form' }, h('h3', t('followUp')), types, outcome, text, h('button', { type: 'submit' }, t('add')));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    if (await run(() => api.followUp(customerId, { type, outcome: outcome.value.trim(), text: text.value.trim() || null }))) form.reset();
  });
  return form;
}

function noteSection(customerId, templates) {
  const section = h('section.card', { id: 'note' }, h('h3', t('note')));
  if (!templates.length) return null;
  const holder = h('div');
  let current = null;
  const pick = (template) => {
    current = { template, form: noteForm(template) };
    clear(holder, current.form.element);
    picker.querySelectorAll('button').forEach((b) => b.setAttribute('aria-pressed', String(b.dataset.id === template.id)));
  };
  const picker = h('div.choices', { id: 'note-templates', role: 'group', 'aria-label': t('template') },
    templates.map((tpl) => h('button.choice', { type: 'button', 'aria-pressed': 'false', data: { id: tpl.id }, onclick: () => pick(tpl) }, tpl.name)));
  const form = h('form', { id: 'note-form' }, picker, holder, h('button', { type: 'submit' }, t('submitNote')));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    if (!current) return;
    let answers;
    try {
      answers = current.form.answers();
    } catch (err) {
      toast(err.message, 'error');
      return;
    }
    if (await run(() => api.addNote(customerId, current.template.id, answers))) pick(current.template);
  });
  if (templates.length === 1) pick(templates[0]);
  section.append(form);
  return section;
}

async function run(action) {
  try {
    await action();
    toast(t('saved'), 'ok');
    return true;
  } catch (err) {
    const fields = err instanceof ApiError && err.problem.errors ? Object.values(err.problem.errors).flat().join(' ') : '';
    toast(t('error', fields || err.message), 'error');
    return false;
  }
}
