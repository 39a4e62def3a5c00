package screening

import "testing"

// TestDetailsOf reads the nationality, country and birth year a source adds
// in brackets after a name, and leaves any other bracket in the name.
func TestDetailsOf(t *testing.T) {
	for _, c := range []struct{ line, name, country, born string }{
		{"Ri Chol Min (North Korea, 1971)", "Ri Chol Min", "North Korea", "1971"},
		{"Ri Chol Min (born 1971; DPRK)", "Ri Chol Min", "DPRK", "born 1971"},
		{"김철민 (북한, 1971년생)", "김철민", "북한", "1971년생"},
		{"金哲民（朝鲜，1971年生）", "金哲民", "朝鲜", "1971年生"},
		{"Ким Чер Мин (КНДР, 1971 г.р.)", "Ким Чер Мин", "КНДР", "1971 г.р."},
		{"OREKHOV, Iurii Denisovich (Russia)", "OREKHOV, Iurii Denisovich", "Russia", ""},
		{"Paekho Trading (1971)", "Paekho Trading", "", "1971"},
		{"  Ri Chol Min  ", "Ri Chol Min", "", ""},
		// Brackets that are part of the name, or say something else.
		{"World Freight (Hong Kong) Co", "World Freight (Hong Kong) Co", "", ""},
		{"Dalian Ocean Shipping (Dalian)", "Dalian Ocean Shipping (Dalian)", "", ""},
		{"Ri Chol Min (the captain, 1971)", "Ri Chol Min (the captain, 1971)", "", ""},
		{"Ri Chol Min (China, Russia)", "Ri Chol Min (China, Russia)", "", ""},
		{"Ri Chol Min (1971, 1972)", "Ri Chol Min (1971, 1972)", "", ""},
		{"(North Korea)", "(North Korea)", "", ""},
		{"Ri Chol Min (1850)", "Ri Chol Min (1850)", "", ""},
	} {
		name, country, born := detailsOf(c.line)
		if name != c.name || country != c.country || born != c.born {
			t.Errorf("detailsOf(%q) = %q, %q, %q; want %q, %q, %q", c.line, name, country, born, c.name, c.country, c.born)
		}
	}
	if c := companyOf("Paekho Trading (1971)"); c.Name != "Paekho Trading (1971)" || c.Country != "" {
		t.Errorf("a company has no birth year: %+v", c)
	}
}
