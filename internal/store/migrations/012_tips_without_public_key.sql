-- Everyone who seals more to a tip (the source in a session, an analyst, the
-- committee) holds its private key, and takes the recipient from it: the
-- stored copy was never read, and cost every tip 1.9 KB and an encoding.
ALTER TABLE tips DROP COLUMN public_key;
