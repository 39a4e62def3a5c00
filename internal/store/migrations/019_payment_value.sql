-- A payment records the amount as paid, in its currency's units (a crypto
-- payment has fractions: "3.75"), and its value in whole US dollars, which
-- must equal the approval. The value goes in `amount`, which held the
-- amount as paid: for a payment in US dollars the two are the same; for an
-- earlier payment in another currency the value was never recorded, and 0
-- makes `tipline rewards verify` say so rather than guess it.
ALTER TABLE reward_ledger ADD COLUMN paid TEXT NOT NULL DEFAULT '';
UPDATE reward_ledger SET paid = CAST(amount AS TEXT) WHERE kind = 'pay';
UPDATE reward_ledger SET amount = 0 WHERE kind = 'pay' AND currency <> 'USD';
