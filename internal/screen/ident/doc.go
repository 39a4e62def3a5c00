// Package ident validates, normalises and finds the identifiers that
// screening matches exactly: ship and company IMO numbers, MMSIs, call signs
// and cryptocurrency wallet addresses.
//
// # Which function to call
//
//   - A form field that asks for one identifier: ParseIMO, ParseCompanyIMO,
//     ParseMMSI or ParseShipMMSI, ParseCallSign, ParseWallet. Each accepts the
//     usual written forms ("IMO no. 8914934", "MMSI: 273 456 789",
//     "bitcoin:ADDR?amount=1") and returns the normal form to store and
//     compare.
//   - A list entry that writes an address against a currency code
//     ("Digital Currency Address - ETC 0x…"): ParseWalletAs.
//   - Free text in any language: Extract, which returns each identifier with
//     its byte span and, when it looks like one but fails validation, a
//     Warning to show the writer.
//
// # What is promised
//
// Identifiers are compared exactly after normalisation; nothing here is
// fuzzy. A failed check is never turned into a near match: ParseIMO returns
// a *CheckDigitError (errors.Is ErrIMOCheckDigit) whose message can be shown
// as is, and ParseWallet an *AddressError wrapping ErrInvalidWallet
// (ErrWalletChecksum for a checksum failure). Extract reports such cases as
// warnings, never as plain finds.
//
// Checksums verified: ship IMO check digit; Bitcoin base58check (P2PKH,
// P2SH) and bech32/bech32m segwit (BIP-173, BIP-350, mixed case refused);
// Litecoin (L, M, 3, ltc1); Tron (T); Dash (X, 7); Zcash transparent (t1,
// t3) and Sapling (zs1, bech32); Bitcoin Gold (G, A); Verge (D, which
// Dogecoin shares); Bitcoin Cash cashaddr (q, p, with or without the
// "bitcoincash:" prefix) and legacy; Monero standard, sub- and integrated
// addresses (block base58 with Keccak checksum); Ethereum EIP-55 when the
// address is mixed case (all-lower and all-upper carry no checksum and are
// accepted with Wallet.Checked false). Only mainnet addresses are
// recognised.
//
// # Ambiguities callers must know
//
//   - Company and registered-owner IMO numbers are seven digits like a ship's
//     but have no check digit; seven digits alone cannot be told apart. The
//     lists even write ship labels on companies (OFAC's "Vessel Registration
//     Identification IMO" on shipping companies), so a list parser must go by
//     the entry's type, and a tip by its label ("Company IMO …").
//   - One address form serves several currencies: an Ethereum-form address
//     may hold ETH, ETC, USDT, USDC…; a Bitcoin legacy address is also a BCH
//     or BSV one, and USDT on Omni. Wallet.Currency is a guess and Wallet.Also
//     lists the rest; compare on Wallet.Address.
//   - MMSIs carry no checksum. ParseMMSI checks the structure and the MID
//     table; a typo that keeps a valid MID cannot be caught.
package ident
