import { login, changePassword, AuthError } from '../auth.js';
import { h, clear } from '../dom.js';
import { t } from '../i18n.js';

/** Sign-in; when the server wants a new password first (generated or reset), the same form asks for one. */
export function loginView(root, { onSignedIn }) {
  const error = h('p.error', { id: 'login-error', hidden: true });
  const newPassword = h('label', { hidden: true }, t('newPassword'),
    h('input', { name: 'newPassword', type: 'password', autocomplete: 'new-password', minlength: 12, maxlength: 128 }));
  const form = h('form.card', { id: 'login' },
    h('h1', t('appName')),
    h('label', t('userName'), h('input', { name: 'userName', autocomplete: 'username', required: true, maxlength: 100 })),
    h('label', t('password'), h('input', { name: 'password', type: 'password', autocomplete: 'current-password', required: true, maxlength: 200 })),
    newPassword,
    h('button', { type: 'submit' }, t('signIn')),
    error);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    error.hidden = true;
    const userName = form.userName.value.trim();
    try {
      if (newPassword.hidden) await login(userName, form.password.value);
      else await changePassword(userName, form.password.value, form.newPassword.value);
      onSignedIn();
    } catch (err) {
      if (err instanceof AuthError && err.reason === 'password-change-required') {
        newPassword.hidden = false;
        form.newPassword.required = true;
        form.newPassword.focus();
      }
      error.textContent = message(err);
      error.hidden = false;
    }
  });
  clear(root, form);
}

function message(err) {
  if (!(err instanceof AuthError)) return t('error', err.message);
  switch (err.reason) {
    case 'bad-credentials': return t('badCredentials');
    case 'password-change-required': return t('changePassword');
    case 'too-many-requests': return t('tooManyAttempts', err.retryAfter ?? '60');
    default: return Object.values(err.errors ?? {}).flat().join(' ') || t('badCredentials');
  }
}
