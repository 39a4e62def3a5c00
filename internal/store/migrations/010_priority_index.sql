-- The queue sorted by priority walks this index newest-first instead of
-- sorting every tip the analyst can open.
CREATE INDEX tips_by_priority ON tips(priority, received_at);
