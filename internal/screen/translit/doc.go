// Package translit normalises and transliterates names so that screening
// can compare a name in a tip with the names and aliases on the sanctions
// lists, whatever script and spelling each side uses.
//
// # Which function to call
//
//   - Normalize (or Analyze, which also says what it removed) for the one
//     canonical spelling of a name: NFKC, case folding, Latin diacritics
//     stripped, traditional Han folded to simplified, hyphens joined,
//     legal-form words and vessel prefixes dropped. Use it for display
//     keys and for the blind index's tokens. It keeps the name's script.
//   - Keys for every key a name should be indexed under: the normalised
//     text, its romanisations (Hangul: Revised Romanization and a
//     McCune–Reischauer-like scheme; Cyrillic: BGN/PCGN and the simple
//     h/j/iu/ia spellings; Han: toneless pinyin), phonetic keys (LatinKey for
//     transliteration variants, KoreanKey for Korean romanisation variants)
//     and spaceless forms of each. Names that share a key are candidates.
//   - Similarity (or Compile once per name and Name.Similarity) to score a
//     candidate in [0, 1]: word-order-free Jaro–Winkler over words, at the
//     best of the exact, Latin-key (×0.97) and Korean-key (×0.94) levels.
//     The alert threshold is chosen by the matcher, on its evaluation set.
//
// # What it handles, and what it does not
//
// Handled: Latin with diacritics; Hangul (all 11,172 syllables, decomposed
// arithmetically); Russian, Ukrainian and Belarusian Cyrillic; Han in
// simplified, traditional and regional variant forms (4,300 character
// pairs generated from OpenCC's dictionaries, see gen_hanfold.go); spacing
// and hyphenation ("Songjin", "Song Jin", "Song-jin"); word order; Korean
// surname and syllable variants (Ri/Lee/Rhee/Yi, Pak/Park/Bak,
// Jong/Chong/Cheong/Jung/Chung…).
//
// Not handled: Arabic, Persian and other scripts are normalised but not
// romanised, so they match only their own script; Hangul sound changes
// between syllables (names are romanised syllable by syllable); Han
// heteronyms in names (the most common reading is used); Chinese and
// Korean names translated rather than transliterated ("Industrial
// Development" for 实业发展); Korean names written in Hanja.
package translit
