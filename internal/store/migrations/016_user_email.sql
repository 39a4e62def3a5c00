-- Where a desk user is told, at a fixed cadence, whether something awaits
-- them on the desk ('' for never). The message says nothing more.
ALTER TABLE users ADD COLUMN email TEXT NOT NULL DEFAULT '';
