// A quick-note form built from a template's field schema: choices are buttons to tap (one for single choice,
// several for multiple choice), yes/no two buttons, numbers and dates native inputs, text a text area.
import { h } from '../dom.js';
import { t } from '../i18n.js';

/** Returns { element, answers() } where answers() is the body's answers object, or throws with the missing field. */
export function noteForm(template) {
  const values = {};
  const fields = template.fields.map((field) => h('fieldset.field', { data: { key: field.key, type: field.type } },
    h('legend', field.label, field.required ? h('span.required', { title: t('required') }, ' *') : null),
    field.help ? h('p.muted.small', field.help) : null,
    input(field, values)));
  return {
    element: h('div.note-fields', fields),
    answers() {
      const missing = template.fields.find((f) => f.required && (values[f.key] === undefined || values[f.key] === ''
        || (Array.isArray(values[f.key]) && !values[f.key].length)));
      if (missing) throw new Error(`${missing.label}: ${t('required')}`);
      return Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined && v !== '' && !(Array.isArray(v) && !v.length)));
    },
  };
}

function input(field, values) {
  const key = field.key;
  switch (field.type) {
    case 'singleChoice':
      return choices(field.options ?? [], false, (picked) => { values[key] = picked[0]; });
    case 'multiChoice':
      return choices(field.options ?? [], true, (picked) => { values[key] = picked; });
    case 'yesNo':
      return choices([[true, t('yes')], [false, t('no')]], false, (picked) => { values[key] = picked[0]; });
    case 'number':
      return h('input', { type: 'number', name: key, min: field.min, max: field.max, step: 'any', inputmode: 'decimal',
        oninput: (e) => { values[key] = e.target.value === '' ? undefined : Number(e.target.value); } });
    case 'date':
      return h('input', { type: 'date', name: key, oninput: (e) => { values[key] = e.target.value || undefined; } });
    default:
      return h('textarea', { name: key, rows: 2, maxlength: 2000, oninput: (e) => { values[key] = e.target.value.trim(); } });
  }
}

/** Tap buttons; options are strings or [value, label] pairs. */
function choices(options, multiple, onChange) {
  const pairs = options.map((o) => (Array.isArray(o) ? o : [o, o]));
  const picked = new Set();
  const buttons = pairs.map(([value, label]) => h('button.choice', {
    type: 'button',
    'aria-pressed': 'false',
    data: { value: String(value) },
    onclick: (e) => {
      if (multiple) {
        picked.has(value) ? picked.delete(value) : picked.add(value);
      } else {
        const again = picked.has(value);
        picked.clear();
        if (!again) picked.add(value);
      }
      e.currentTarget.parentElement.querySelectorAll('button.choice').forEach((b, i) => {
        b.setAttribute('aria-pressed', String(picked.has(pairs[i][0])));
      });
      onChange([...picked]);
    },
  }, label));
  return h('div.choices', { role: 'group' }, buttons);
}
