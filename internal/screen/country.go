package screen

import (
	"strings"
	"sync"
	"unicode"

	"golang.org/x/text/language"
	"golang.org/x/text/language/display"
)

// CountryCode returns the ISO 3166-1 alpha-2 code of a country named as the
// lists write it ("Korea, North", "Democratic People's Republic of Korea",
// "Iran (Islamic Republic of)"), as a source writes it in English, Korean,
// Chinese, Russian or Japanese ("North Korea", "북한", "朝鲜", "КНДР"), or as
// a nationality ("North Korean", "Chinese"), or as its ISO 3166 code in
// capitals ("KP", "PRK"); "" when the name is none of
// these or could be several ("Korea", "Congo").
func CountryCode(name string) string {
	countriesOnce.Do(buildCountries)
	// An ISO code as written in capitals: "KP", "PRK".
	if t := strings.TrimSpace(name); (len(t) == 2 || len(t) == 3) && strings.ToUpper(t) == t {
		if r, err := language.ParseRegion(t); err == nil && r.IsCountry() && strings.Trim(t, "ABCDEFGHIJKLMNOPQRSTUVWXYZ") == "" {
			return r.String()
		}
	}
	key := countryKey(name)
	if key == "" {
		return ""
	}
	if code, ok := countries[key]; ok {
		return code
	}
	// The lists put the distinguishing part last: "Korea, North",
	// "Virgin Islands, British", "Congo, Democratic Republic of the".
	if before, after, ok := strings.Cut(name, ","); ok && !strings.Contains(after, ",") {
		if code, ok := countries[countryKey(after+" "+before)]; ok {
			return code
		}
	}
	// "Iran (Islamic Republic of)": the name before the brackets.
	if i := strings.IndexAny(name, "(（"); i > 0 {
		return countries[countryKey(name[:i])]
	}
	return ""
}

var (
	countriesOnce sync.Once
	countries     map[string]string // countryKey → alpha-2 code; "" where ambiguous
)

// countryNameLanguages are the languages whose names of countries a source
// or a list may use: the tip line's four and Japanese.
var countryNameLanguages = []display.Namer{
	display.English.Regions(), display.Korean.Regions(), display.SimplifiedChinese.Regions(),
	display.TraditionalChinese.Regions(), display.Russian.Regions(), display.Japanese.Regions(),
}

// countryAliases are names CLDR does not give: the lists' official long
// forms, abbreviations, and nationalities as adjectives, in the languages
// reports come in, for the countries this tip line hears about most and
// those the lists name most.
var countryAliases = map[string][]string{
	"KP": {"Democratic People's Republic of Korea", "DPRK", "DPR Korea", "Korea DPR", "North Korean",
		"조선", "북조선", "조선민주주의인민공화국", "북한 사람", "北朝鲜", "北朝鮮", "朝鮮", "朝鲜民主主义人民共和国",
		"朝鮮民主主義人民共和國", "Северная Корея", "северокорейский", "северокорейская", "северокореец"},
	"KR": {"Republic of Korea", "ROK", "South Korean", "한국", "남한", "韓國", "南韩", "大韩民国", "大韓民國",
		"Южная Корея", "южнокорейский", "южнокорейская"},
	"CN": {"People's Republic of China", "PRC", "Chinese", "中华人民共和国", "中華人民共和國", "КНР",
		"китайский", "китайская", "китаец", "китаянка", "중국인"},
	"RU": {"Russian Federation", "Russian", "Российская Федерация", "РФ", "российский", "российская",
		"русский", "русская", "россиянин", "россиянка", "俄国", "俄國", "러시아인"},
	"JP": {"Japanese", "日本国", "日本國", "японский", "японская", "일본인"},
	"HK": {"Hong Kong", "香港", "홍콩", "Гонконг"},
	"MO": {"Macau", "Macao", "澳门", "澳門", "마카오", "Макао"},
	"TW": {"Taiwanese", "Republic of China"},
	"IR": {"Iranian"},
	"SY": {"Syrian Arab Republic", "Syrian"},
	"TR": {"Türkiye", "Turkiye", "Turkish"},
	"GB": {"United Kingdom of Great Britain and Northern Ireland", "UK", "Great Britain", "British"},
	"US": {"United States of America", "USA", "American"},
	"TZ": {"United Republic of Tanzania"},
	"PS": {"Palestinian", "State of Palestine", "Palestine"},
	"MK": {"North Macedonia", "Republic of North Macedonia"},
	"CD": {"Democratic Republic of the Congo", "DRC"},
	"CG": {"Republic of the Congo"},
	"MM": {"Burma", "Burmese"},
	"CZ": {"Czech Republic"},
	"CV": {"Cabo Verde"},
	"AE": {"UAE", "Emirati"},
	"VN": {"Viet Nam", "Vietnamese"},
	"LA": {"Lao People's Democratic Republic", "Lao PDR"},
	"MN": {"Mongolian"},
	"SG": {"Singaporean"},
	"MY": {"Malaysian"},
	"TH": {"Thai"},
	"PA": {"Panamanian"},
	"KH": {"Cambodian"},
	"ID": {"Indonesian"},
	"PH": {"Filipino", "Philippine"},
	"IN": {"Indian"},
	"PK": {"Pakistani"},
	"UA": {"Ukrainian"},
	"BY": {"Belarusian"},
	"SA": {"Saudi", "Saudi Arabian"},
	"AF": {"Afghan"},
	"IQ": {"Iraqi"},
	"LB": {"Lebanese"},
	"YE": {"Yemeni"},
}

func buildCountries() {
	countries = map[string]string{}
	add := func(name, code string) {
		key := countryKey(name)
		if key == "" {
			return
		}
		if old, ok := countries[key]; ok && old != code {
			countries[key] = "" // two countries by one name: no answer
			return
		}
		countries[key] = code
	}
	for a := 'A'; a <= 'Z'; a++ {
		for b := 'A'; b <= 'Z'; b++ {
			region, err := language.ParseRegion(string([]rune{a, b}))
			if err != nil || !region.IsCountry() || region.String() != string([]rune{a, b}) {
				continue
			}
			code := region.String()
			for _, namer := range countryNameLanguages {
				name := namer.Name(region)
				add(name, code)
				// "Myanmar (Burma)", "홍콩(중국 특별행정구)": the name without
				// the bracket, and "Hong Kong SAR China" without "SAR China".
				if i := strings.IndexAny(name, "(（"); i > 0 {
					add(name[:i], code)
				}
				if before, _, ok := strings.Cut(name, " SAR "); ok {
					add(before, code)
				}
			}
		}
	}
	for code, names := range countryAliases {
		for _, n := range names {
			add(n, code)
		}
	}
}

// countryKey folds a country's name for comparison: letters and digits
// only, lower case, "&" as "and", "St." as "Saint", without "the".
func countryKey(s string) string {
	s = strings.ToLower(strings.ReplaceAll(s, "&", " and "))
	var b strings.Builder
	for _, w := range strings.FieldsFunc(s, func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '.' && r != '\'' && r != '’'
	}) {
		w = strings.Trim(w, ".'’")
		switch w {
		case "", "the":
			continue
		case "st":
			w = "saint"
		}
		for _, r := range w {
			if unicode.IsLetter(r) || unicode.IsDigit(r) {
				b.WriteRune(r)
			}
		}
	}
	return b.String()
}
