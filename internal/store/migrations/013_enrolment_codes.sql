-- After an admin resets a user's second factor, the user enrols a new one
-- with their password and a one-time enrolment code the admin gave them:
-- the password alone opens nothing. Only a hash of the code is kept.
ALTER TABLE users ADD COLUMN enrol_code_hash TEXT NOT NULL DEFAULT '';
ALTER TABLE users ADD COLUMN enrol_code_expires_at BIGINT NOT NULL DEFAULT 0;

-- A session is either a full desk login or an enrolment in progress, which
-- opens nothing but the enrolment pages and never becomes a desk session.
ALTER TABLE desk_sessions ADD COLUMN kind TEXT NOT NULL DEFAULT 'desk';
