-- Sign-in protection, password state and sessions (docs/security.md).

-- Consecutive failed sign-ins per user name (known or not, so a lockout says nothing about who exists).
CREATE TABLE IF NOT EXISTS login_throttle (
    user_name_key   TEXT PRIMARY KEY,
    failures        INTEGER NOT NULL,
    locked_until_ms INTEGER NOT NULL,
    last_failure_ms INTEGER NOT NULL
);

-- A user whose password was generated or reset by an admin must choose a new one before it gets a token.
CREATE TABLE IF NOT EXISTS password_state (
    user_id     TEXT PRIMARY KEY,
    must_change INTEGER NOT NULL,
    changed_ms  INTEGER NOT NULL
);

-- Refresh tokens, stored as SHA-256 hashes. One family per sign-in; each refresh uses one token up and issues the
-- next. Presenting a used token again revokes the whole family (it was stolen, or the client is confused).
CREATE TABLE IF NOT EXISTS refresh_tokens (
    token_hash TEXT PRIMARY KEY,
    family_id  TEXT NOT NULL,
    user_id    TEXT NOT NULL,
    issued_ms  INTEGER NOT NULL,
    expires_ms INTEGER NOT NULL,
    used_ms    INTEGER NULL,
    revoked_ms INTEGER NULL
);
CREATE INDEX IF NOT EXISTS ix_refresh_tokens_family ON refresh_tokens(family_id);
CREATE INDEX IF NOT EXISTS ix_refresh_tokens_user ON refresh_tokens(user_id);

-- Moves on when every session of a user must end at once (password changed or reset, a refresh token reused): an
-- access token names the version it was issued under and is refused once the user's has moved on. No row: 0.
CREATE TABLE IF NOT EXISTS session_versions (
    user_id TEXT PRIMARY KEY,
    version INTEGER NOT NULL
);
