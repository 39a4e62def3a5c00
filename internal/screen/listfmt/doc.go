// Package listfmt reads the official sanctions-list formats into the one
// model of package screen.
//
// # Which function to call
//
// To import a file a user gave, call ParseFile: it recognises the format
// from the content (Detect) and returns a *screen.List whose SHA256 is that
// of the bytes read.
//
//	list, err := listfmt.ParseFile(path) // a UN XML, OFAC sdn.xml, the 1718 vessels document,
//	                                     // OFAC sdn.csv, or a folder holding the OFAC CSV set
//
// To parse a download as it arrives, call the parser for its format on the
// response body: ParseUN, ParseOFACCSV (sdn.csv plus the optional alt.csv,
// add.csv and sdn_comments.csv), ParseOFACXML or ParseUNVessels. Every
// parser streams its input and holds only the entries it has built.
//
// # What is promised
//
//   - All or nothing. A malformed, truncated or implausible file is refused
//     with an error and no list, so the version in force stays in force.
//     Truncation is caught even at a record boundary: XML must close its
//     root, the vessels document must reach </html>, OFAC's sdn.csv, alt.csv
//     and add.csv must end with their 0x1A end-of-file byte, the OFAC XML
//     must hold as many entries as its Record_Count says.
//   - Errors say where. Every error is a *ParseError naming the format, the
//     file of a set, and the line, byte offset or element path:
//     "ofac csv: sdn.csv: line 4132: expected 12 fields, found 7 (is the file
//     truncated?)". They wrap ErrTruncated, ErrImplausible or
//     ErrUnknownFormat where those apply, for errors.Is.
//   - Values are mapped, not interpreted: see package screen for the light
//     normalisation applied; check digits, checksums and transliteration
//     belong to packages ident and translit.
//
// # Decisions worth knowing
//
//   - OFAC aircraft are organisations (their name is their registration
//     mark; the model has no aircraft kind). OFAC's weak aliases are the
//     a.k.a.s in Remarks; its strong ones are in alt.csv or have category
//     "strong" in XML.
//   - When sdn.csv comes without sdn_comments.csv, Remarks longer than the
//     1,000-character column are cut by OFAC; the clause that was cut is
//     not extracted, since half a wallet address is worse than none.
//   - OFAC "Vessel Registration Identification" values that are national
//     registry numbers ("RS 150443 (Russia)") are IDOther, not IMO numbers.
//   - UN entities are organisations unless their name starts with a ship
//     prefix (M/V, MV, M/T, MT); IMO numbers in an organisation's comments
//     are company IMO numbers. Delisted UN records are left out.
//   - The vessels document has no machine-readable structure; ships are
//     recognised by their numbered-name and IMO cells and checked against
//     the document's own numbering. The one ship without an IMO number gets
//     its upper-cased name, hyphenated, as its id.
package listfmt
