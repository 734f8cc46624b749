import { login, AuthError } from '../auth.js';
import { h, clear } from '../dom.js';
import { t } from '../i18n.js';

export function loginView(root, { onSignedIn }) {
  const error = h('p.error', { id: 'login-error', hidden: true });
  const form = h('form.card', { id: 'login' },
    h('h1', t('appName')),
    h('label', t('userName'), h('input', { name: 'userName', autocomplete: 'username', required: true, maxlength: 100 })),
    h('label', t('password'), h('input', { name: 'password', type: 'password', autocomplete: 'current-password', required: true, maxlength: 200 })),
    h('button', { type: 'submit' }, t('signIn')),
    error);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    error.hidden = true;
    try {
      await login(form.userName.value.trim(), form.password.value);
      onSignedIn();
    } catch (err) {
      error.textContent = err instanceof AuthError ? t('badCredentials') : t('error', err.message);
      error.hidden = false;
    }
  });
  clear(root, form);
}
