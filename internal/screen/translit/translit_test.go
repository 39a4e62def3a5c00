package translit

import (
	"slices"
	"testing"
)

func TestAnalyze(t *testing.T) {
	for _, tc := range []struct {
		in, want string
		removed  []string
	}{
		{"M/V Song-jin Trading Co., Ltd.", "songjin", []string{"mv", "trading", "co", "ltd"}},
		{"m.t. CHON MYONG 1", "chon myong 1", []string{"mt"}},
		{"S.S. Ever Given", "ever given", []string{"ss"}},
		{"Korea Kwangson Banking Corp.", "korea kwangson banking", []string{"corp"}},
		{"ООО «Ромашка»", "ромашка", []string{"ооо"}},
		{"Общество с ограниченной ответственностью \"Ромашка\"", "ромашка", []string{"общество с ограниченной ответственностью"}},
		{"丹東鴻祥實業發展有限公司", "丹东鸿祥实业发展", []string{"有限公司"}},
		{"주식회사 삼성", "삼성", []string{"주식회사"}},
		{"Đặng Văn Hùng", "dang van hung", nil},
		{"ＫＩＭ　ＪＯＮＧ　ＵＮ", "kim jong un", nil},
		{"Фёдоров", "федоров", nil},
		{"Сергей Йорданов", "сергей йорданов", nil}, // й keeps its breve
		{"Trading Company", "trading company", nil}, // nothing else would be left
		{"SA'D ABD-AL-MAJID AL-FAISAL", "sad abdalmajid alfaisal", nil},
		{"  RI   Je-son  ", "ri jeson", nil},
		{"Straße", "strasse", nil},
		{"TALOON COMANY", "taloon", []string{"comany"}},                                            // one typo in a legal form
		{"LIMITED-LIABILITY COMPANY GARANT-SV", "garantsv", []string{"limited liability company"}}, // a hyphen next to a legal form separates
		{"TAMAS-COMPANY", "tamas", []string{"company"}},
		{"OOO-AGRO-REGION", "agroregion", []string{"ooo"}},
		{"Co-operative Bank", "cooperative bank", nil},
		{"Bio Corpoation", "bio", []string{"corpoation"}},
	} {
		t.Run(tc.in, func(t *testing.T) {
			a := Analyze(tc.in)
			if a.Text != tc.want || !slices.Equal(a.Removed, tc.removed) {
				t.Errorf("Analyze(%q) = %q removed %q; want %q removed %q", tc.in, a.Text, a.Removed, tc.want, tc.removed)
			}
			if again := Normalize(a.Text); again != a.Text {
				t.Errorf("not idempotent: %q → %q", a.Text, again)
			}
		})
	}
}

func TestRomanizeHangul(t *testing.T) {
	for _, tc := range []struct{ in, rr, mr string }{
		{"김정은", "gim jeong eun", "kim jong un"},
		{"최룡해", "choe ryong hae", "choe ryong hae"},
		{"리제선", "ri je seon", "ri je son"},
		{"박봉주", "bak bong ju", "pak pong ju"},
		{"천명 1", "cheon myeong 1", "chon myong 1"},
		{"송진", "song jin", "song jin"},
		{"값", "gap", "kap"},
	} {
		if got := RomanizeHangul(tc.in, RevisedRomanization); got != tc.rr {
			t.Errorf("RR(%s) = %q, want %q", tc.in, got, tc.rr)
		}
		if got := RomanizeHangul(tc.in, McCuneReischauer); got != tc.mr {
			t.Errorf("MR(%s) = %q, want %q", tc.in, got, tc.mr)
		}
	}
}

func TestRomanizeCyrillic(t *testing.T) {
	for _, tc := range []struct{ in, bgn, simple string }{
		{"умаров доку хаматович", "umarov doku khamatovich", "umarov doku hamatovich"},
		{"катиба аттаухид вальджихад", "katiba attaukhid valdzhikhad", "katiba attauhid valjihad"},
		{"бютукаев", "byutukaev", "biutukaev"},
		{"ахмед ражапович", "akhmed razhapovich", "ahmed rajapovich"},
	} {
		if got := RomanizeCyrillic(tc.in, false); got != tc.bgn {
			t.Errorf("BGN(%s) = %q, want %q", tc.in, got, tc.bgn)
		}
		if got := RomanizeCyrillic(tc.in, true); got != tc.simple {
			t.Errorf("simple(%s) = %q, want %q", tc.in, got, tc.simple)
		}
	}
}

func TestHan(t *testing.T) {
	if got := FoldHan("丹東鴻祥實業發展"); got != "丹东鸿祥实业发展" {
		t.Errorf("FoldHan = %q", got)
	}
	if got := RomanizeHan("丹东鸿祥"); got != "dan dong hong xiang" {
		t.Errorf("RomanizeHan = %q", got)
	}
	// Folding is idempotent over the whole table.
	for k, v := range hanFold() {
		if FoldHan(string(v)) != string(v) {
			t.Fatalf("%c → %c folds again to %s", k, v, FoldHan(string(v)))
		}
	}
}

func TestKoreanKeyVariants(t *testing.T) {
	for _, group := range [][]string{
		{"Jong", "Cheong", "Chong", "Jung", "Chung"},
		{"Kim", "Gim"},
		{"Ri", "Rhee", "Lee", "Yi", "I", "Li"},
		{"Pak", "Park", "Bak"},
		{"Choe", "Choi", "Chwe"},
		{"Ryu", "Yu", "Yoo"},
		{"Han", "Hahn"},
		{"Kwang", "Gwang"},
		{"Chol", "Cheol", "Chul"},
		{"Myong", "Myeong", "Myung"},
		{"Un", "Eun"},
		{"Song", "Seong", "Sung"},
		{"Hyon", "Hyeon", "Hyun"},
		{"Rim", "Lim", "Im"},
	} {
		want := KoreanKey(Normalize(group[0]))
		for _, v := range group[1:] {
			if got := KoreanKey(Normalize(v)); got != want {
				t.Errorf("KoreanKey(%s) = %q, KoreanKey(%s) = %q", group[0], want, v, got)
			}
		}
	}
}

func TestKeysSpacing(t *testing.T) {
	common := func(a, b []string) bool {
		for _, k := range a {
			if slices.Contains(b, k) {
				return true
			}
		}
		return false
	}
	for _, pair := range [][2]string{
		{"Songjin", "Song Jin"}, {"Song-jin", "Song Jin"}, {"Kim Jong Un", "김정은"},
		{"DOKU KHAMATOVICH UMAROV", "Доку Хаматович Умаров"}, {"丹東鴻祥", "丹东鸿祥"},
	} {
		if !common(Keys(pair[0]), Keys(pair[1])) {
			t.Errorf("%q and %q share no key: %q / %q", pair[0], pair[1], Keys(pair[0]), Keys(pair[1]))
		}
	}
}

func TestSimilarity(t *testing.T) {
	for _, tc := range []struct {
		a, b     string
		min, max float64
	}{
		{"Kim Jong Un", "김정은", 0.99, 1},
		{"Kim Jong Un", "Jong Un Kim", 0.99, 1}, // word order
		{"Gim Jeong-eun", "KIM Jong Un", 0.9, 1},
		{"Song Jin", "M/V Songjin", 0.99, 1},
		{"Rhee Je Sun", "Ri Je Son", 0.9, 1},
		{"Park Bong Ju", "Pak Pong Ju", 0.9, 1},
		{"Choe Ryong Hae", "Choi Ryong-hae", 0.9, 1},
		{"CHON MYONG 1", "천명 1", 0.99, 1},
		{"Chon Myong", "Chon Myoung", 0.9, 1},
		// UN consolidated list: Latin name and NAME_ORIGINAL_SCRIPT.
		{"DOKU KHAMATOVICH UMAROV", "Умаров Доку Хаматович", 0.99, 1},
		{"AKHMED RAJAPOVICH CHATAEV", "Ахмед Ражапович Чатаев", 0.95, 1},
		{"ASLAN AVGAZAROVICH BYUTUKAEV", "Аслан Авгазарович Бютукаев", 0.99, 1},
		{"AYRAT NASIMOVICH VAKHITOV", "Айрат Насимович Вахитов", 0.99, 1},
		{"ZAURBEK SALIMOVICH GUCHAEV", "Заурбек Салимович Гучаев", 0.99, 1},
		{"TARKHAN ISMAILOVICH GAZIEV", "Тархан Исмаилович Газиев", 0.99, 1},
		{"ISLAM SEIT-UMAROVICH ATABIEV", "Ислам Сеит-Умарович Атабиев", 0.99, 1},
		{"SHAMIL MAGOMEDOVICH ISMAILOV", "Шамиль Магомедович Измайлов", 0.85, 1},
		{"KHATIBA AL-TAWHID WAL-JIHAD", "Катиба ат-Таухид валь-Джихад", 0.85, 1},
		{"EMARAT KAVKAZ", "Эмират Кавказ", 0.9, 1},
		// Different people.
		{"Kim Jong Un", "Kim Jong Il", 0, 0.8},
		{"Danielle Davis", "Daniel", 0, 0.8}, // one word cannot stand for two
		{"John Smith", "Kim Jong Un", 0, 0.5},
		{"Ivan Petrov", "Доку Умаров", 0, 0.5},
	} {
		got := Similarity(tc.a, tc.b)
		if got < tc.min || got > tc.max {
			t.Errorf("Similarity(%q, %q) = %.3f, want in [%.2f, %.2f]", tc.a, tc.b, got, tc.min, tc.max)
		}
		if back := Similarity(tc.b, tc.a); back != got {
			t.Errorf("not symmetric: %.3f vs %.3f", got, back)
		}
	}
}

func TestJaroWinkler(t *testing.T) {
	for _, tc := range []struct {
		a, b string
		want float64
	}{
		{"martha", "marhta", 0.961}, {"dwayne", "duane", 0.840}, {"dixon", "dicksonx", 0.813}, {"", "a", 0}, {"abc", "abc", 1},
	} {
		if got := JaroWinkler(tc.a, tc.b); got < tc.want-0.001 || got > tc.want+0.001 {
			t.Errorf("JaroWinkler(%q, %q) = %.4f, want %.3f", tc.a, tc.b, got, tc.want)
		}
	}
}
