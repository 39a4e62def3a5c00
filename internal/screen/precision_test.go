package screen_test

import (
	"testing"

	"tipline/internal/screen"
)

// TestNamesThatShareWordsWithAListedOne checks report names that share
// words with a listed name and are another company, ship or person.
func TestNamesThatShareWordsWithAListedOne(t *testing.T) {
	_, ix := snapshots(t)
	for _, tc := range []struct {
		query, key string
		want       bool
	}{
		// A word of the ship's own, on no list and in no name of the
		// listed ship: another ship (0.866 before).
		{"Vasily Golovnin", "ofac:48819", false}, // VASILY LANOVOY
		{"Vasiliy Lanovoi", "ofac:48819", true},
		// One-word names that meet only through the Korean key, which
		// folds k and g and drops an initial l (0.940 and 0.885 before).
		{"Kia Corporation", "ofac:4690", false}, // GIA
		{"E-Mart Inc", "ofac:19044", false},     // LERMA TRADING S.A.
		{"Lerma Trading", "ofac:19044", true},
		// A ship's number that no name of the listed ship carries: another
		// ship (1.000 before).
		{"Lucky Star 8", "ofac:27528", false}, // LUCKY STAR
		{"Lucky Star", "ofac:27528", true},
		// Russian surnames in -yn (-ын) pair as those in -in do, from
		// 0.88: "dranitsyn" and "ryntsyn" are 0.84 alike, two surnames,
		// and the first is on no list (0.922 before).
		{"Kapitan Dranitsyn", "ofac:37039", false}, // the ship KAPITAN RYNTSYN
		{"Kapitan Ryntsin", "ofac:37039", true},
		// A Korean given name written as one word that is another given
		// name, once both are written so (0.901 and 0.857 before).
		{"Kim Yun-seo", "un:KPi.024", false}, // Kim Young-Cheol
		{"Oh Yeong-u", "ofac:34456", false},  // O, Yong Ho
		{"Kim Young Cheol", "un:KPi.024", true},
		{"O Yong-ho", "ofac:34456", true},
		{"Kim Ton-ho", "un:KPi.046", true}, // KIM TONG-HO, a letter dropped
		// The same for Chinese given names in pinyin, the surname read
		// first or last, frequent or like the other's (0.846 and 0.878
		// before).
		{"Pang Xiyao", "ofac:29259", false},    // ZHANG, Xiaoming
		{"Shentu Yiquan", "ofac:27473", false}, // SHEN, Luqian
		{"Zhang Xiaoming", "ofac:29259", true},
		{"ZHANNG, Wei", "ofac:45391", true}, // ZHANG, Wei, a letter doubled
		// Given names that only begin alike are not one name misspelt:
		// "jiaming" and "jian" are 0.90 alike, three letters apart
		// (0.950 before).
		{"Zhang Jiaming", "ofac:21042", false}, // ZHANG, Jian
		{"Zhang Jian", "ofac:21042", true},
		// "Al" written apart is also a given name, no article.
		{"Al Green", "ofac:44911", false}, // GREEN
		// Short words whose keys only begin alike do not pair: "toss" and
		// "tosee" (keys "tos" and "tosi"; 0.869 before).
		{"Toss Bank", "ofac:13145", false}, // TOSEE TAAVON BANK
		{"Tose Taavon Bank", "ofac:13145", true},
		// Another patronymic, another Slavic surname: another person
		// (0.870, 0.848 and 0.885 before).
		{"OREKHOV, Iurii Denisovich", "ofac:39536", false},     // OREKHOV, Yury Yuryevich
		{"ZHURAVLEV, Viktor Filippovich", "ofac:37996", false}, // RASHNIKOV, Viktor Filippovich
		{"Gennadii Evseev", "ofac:26443", false},               // MEDVEDEV, Gennadiy
		{"Orekhov Yury Yurievich", "ofac:39536", true},
		{"Rashnikov Viktor Filipovich", "ofac:37996", true},
		{"Gennady Medvedev", "ofac:26443", true},
	} {
		r := ix.Screen(tc.query, screen.Options{Limit: -1})
		if got := hasHit(r.Hits, tc.key); got != tc.want {
			t.Errorf("%q: hit on %s %v, want %v; hits %v", tc.query, tc.key, got, tc.want, r.Hits)
		}
	}
}
