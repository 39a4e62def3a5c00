-- Indexes for the desk's queue filters, measured on 100,000 tips (see
-- docs/benchmarks.md, "Desk"): without them a filter on status, category and
-- "has hits", on an assignee or on a label walks every tip the analyst holds.
-- received_at last, so that a filtered page comes out of the index in order.
CREATE INDEX tips_by_filters ON tips(status, category, has_hits, received_at);
CREATE INDEX tips_by_assignee ON tips(assignee, received_at);
CREATE INDEX tip_labels_by_label ON tip_labels(label, tip_id);
