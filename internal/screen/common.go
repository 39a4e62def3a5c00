package screen

// Words that prove little when two names share them. The lists' own word
// weights (IDF) cannot tell: Wang, Pak or Choe are rare among the listed
// names, yet a report naming "Wang Luyang" shares nothing that matters
// with "WANG, Guoying" — tens of millions of people carry each of these
// surnames. The same holds for the generic words of company, bank and
// ship names ("Far Eastern Shipping" is not "Far Eastern Bank").

// commonSurnames are the most frequent Korean and Chinese surnames, in the
// romanisations reports and lists write them (Revised, McCune–Reischauer,
// the South's and the North's usual spellings, pinyin, Wade–Giles and
// Hong Kong spellings), normalised.
var commonSurnames = setOf(
	// Korean: the fifty or so most frequent, which carry about 90% of
	// the population.
	"kim", "gim", "lee", "yi", "i", "ri", "rhee", "park", "pak", "bak", "choi", "choe",
	"jung", "jeong", "chung", "jong", "chong", "kang", "gang", "cho", "jo", "yoon", "yun",
	"jang", "chang", "lim", "im", "rim", "han", "oh", "o", "seo", "so", "suh", "shin", "sin",
	"kwon", "gwon", "hwang", "ahn", "an", "song", "ryu", "yu", "yoo", "jeon", "jun", "chun",
	"chon", "jon", "hong", "ko", "go", "koh", "moon", "mun", "yang", "ryang", "son", "sohn",
	"bae", "pae", "baek", "paek", "heo", "ho", "huh", "nam", "sim", "shim", "roh", "noh", "no",
	"ro", "ha", "kwak", "gwak", "sung", "seong", "cha", "joo", "ju", "chu", "woo", "u", "koo",
	"ku", "gu", "min", "jin", "chin", "na", "ra", "ji", "chi", "eom", "um", "chae", "won",
	"bang", "pang", "kong", "gong", "hyun", "hyon", "ham", "yeom", "yom", "byun", "pyon",
	"byeon", "yeo", "do", "to", "seok", "sok", "maeng", "tak", "ma", "gil", "kil", "pyo",
	"myung", "myong", "ki", "gi", "ban", "pan", "wang", "ok", "kye", "gye",
	// Chinese: the hundred most frequent in pinyin, with the older and
	// Cantonese spellings of the commonest.
	"li", "zhang", "liu", "chen", "huang", "zhao", "wu", "zhou", "xu", "sun", "zhu", "hu",
	"guo", "he", "gao", "lin", "luo", "zheng", "liang", "xie", "tang", "feng", "deng",
	"cao", "peng", "zeng", "xiao", "tian", "dong", "yuan", "jiang", "cai", "du", "ye",
	"cheng", "su", "wei", "lu", "ding", "ren", "shen", "yao", "cui", "zhong", "tan", "fan",
	"shi", "liao", "jia", "xia", "fu", "fang", "bai", "zou", "meng", "xiong", "qin", "qiu",
	"yin", "xue", "yan", "duan", "lei", "hou", "long", "tao", "mao", "hao", "shao", "wan",
	"qian", "dai", "xiang", "mo", "niu", "qi", "wen", "zhan", "ni", "ou", "yue", "geng",
	"che", "bao", "shu", "lai", "ling", "guan", "zuo", "qu", "lan", "xin", "nie", "tong",
	"shang", "jiao", "ge", "ke", "pei", "fei", "kou", "miao",
	"chan", "wong", "leung", "cheung", "chow", "lau", "ng", "lam", "tsang", "tse", "yeung",
	"kwok", "chiu", "siu", "fung", "kwan", "tsui", "lo", "mak", "yip", "hsu", "hsieh",
	"tsai", "chao", "chou", "kuo", "yeh", "chiang", "tseng", "kao", "hsiao", "teo", "tan",
	"goh", "ong", "lim", "low", "yap", "chua", "ang", "sim", "quek",
)

// genericOrgWords are the words of company, bank, shipping-line and ship
// names that say what kind of business or where, not which: two names
// that share only these share nothing. Legal forms (Co, Ltd, Trading…)
// are removed before scoring already (translit's legal forms).
var genericOrgWords = setOf(
	"bank", "banking", "shipping", "ship", "ships", "shipbuilding", "line", "lines",
	"marine", "maritime", "navigation", "ocean", "sea", "transport", "transportation",
	"logistics", "industrial", "industry", "industries", "development", "international",
	"group", "holding", "holdings", "general", "import", "export", "investment",
	"investments", "technology", "technologies", "tech", "energy", "petroleum", "oil",
	"gas", "steel", "construction", "engineering", "chemical", "chemicals", "electronics",
	"electric", "insurance", "finance", "financial", "capital", "commercial", "national",
	"united", "trade", "enterprise", "enterprises", "service", "services", "management",
	"resources", "mining", "metal", "metals", "products", "agency", "container",
	"tanker", "carrier", "express", "cargo", "freight", "port", "harbour", "harbor",
	"korea", "korean", "china", "chinese", "japan", "japanese", "russia", "russian",
	"hong", "kong", "hongkong", "asia", "asian", "pacific", "east", "eastern", "far",
	"north", "northern", "south", "southern", "west", "western", "global", "world",
	"new", "star", "golden", "first", "grand", "great", "royal", "union", "federal",
	"central", "credit", "savings", "securities", "post", "postal", "power", "supply",
	"supplies",
)

// placeNames are the cities, provinces and regions that Korean, Chinese,
// Japanese and Russian company, bank and ship names carry: they say where a
// business is, not which one it is ("Shanghai Pudong Development Bank" is
// not "CPMIEC SHANGHAI PUDONG COMPANY"), so they weigh as the generic words
// do. Normalised, in the usual romanisations.
var placeNames = setOf(
	// Korea, North and South.
	"seoul", "busan", "pusan", "incheon", "inchon", "daegu", "taegu", "daejeon", "taejon",
	"gwangju", "kwangju", "ulsan", "suwon", "changwon", "pohang", "jeju", "cheju", "gyeonggi",
	"kyonggi", "gangwon", "kangwon", "chungcheong", "jeolla", "gyeongsang", "kyongsang",
	"pyongyang", "nampo", "wonsan", "chongjin", "hamhung", "hamheung", "sinuiju",
	"kaesong", "haeju", "rason", "rajin", "sonbong", "hungnam", "songnim", "hwanghae",
	"pyongan", "hamgyong", "ryanggang", "jagang", "chagang",
	// China.
	"beijing", "peking", "shanghai", "tianjin", "chongqing", "guangzhou", "canton",
	"shenzhen", "dalian", "qingdao", "tsingtao", "ningbo", "xiamen", "amoy", "fuzhou",
	"dandong", "shenyang", "harbin", "changchun", "hunchun", "yanji", "yanbian", "jilin",
	"liaoning", "heilongjiang", "shandong", "jiangsu", "zhejiang", "fujian", "guangdong",
	"hainan", "hebei", "henan", "hubei", "hunan", "sichuan", "yunnan", "shaanxi", "shanxi",
	"anhui", "jiangxi", "guangxi", "wuhan", "nanjing", "hangzhou", "suzhou", "xian",
	"chengdu", "yantai", "weihai", "lianyungang", "zhoushan", "rizhao", "tangshan",
	"qinhuangdao", "zhuhai", "shantou", "macau", "macao", "taiwan", "taipei", "kaohsiung",
	"pudong", "binhai", "sino", "huaxia", "zhonghua",
	// Japan.
	"tokyo", "osaka", "yokohama", "kobe", "nagoya", "kyoto", "fukuoka", "sapporo",
	"hokkaido", "kyushu", "shikoku", "niigata", "hiroshima", "nippon", "nihon",
	// Russia.
	"moscow", "moskva", "petersburg", "peterburg", "leningrad", "vladivostok",
	"nakhodka", "khabarovsk", "sakhalin", "kamchatka", "primorsky", "primorye",
	"murmansk", "arkhangelsk", "novorossiysk", "kaliningrad", "baltic", "siberia",
	"sibir", "siberian", "ural", "volga", "arctic", "amur", "kuban", "rossiya", "rus",
)

// legalRemnants are words of legal forms that translit does not remove
// ("Closed Joint-Stock Company", "Open Joint Stock Company"): a name that
// has them and another that does not still name the same company.
var legalRemnants = setOf("closed", "open", "public", "private", "joint", "stock", "jointstock",
	"liability", "limited", "state", "owned", "unitary", "federal",
	"obshchestvo", "obshestvo", "ogranichennoi", "ogranichennoy", "ogranichennoj", "otvetstvennostyu",
	"otvetstvennostiu", "aktsionernoe", "aktsionernoye", "otkrytoe", "zakrytoe", "publichnoe")

// transliteratedLegalWords are the words of Russian legal forms as OFAC
// transliterates them ("OBSHCHESTVO S OGRANICHENNOI OTVETSTVENNOSTYU
// AMBRELLA INDASTRIAL", "AKTSIONERNOE OBSHCHESTVO RUST 95"), which
// translit removes only in Cyrillic. As rare words they weighed more than
// the name itself, and a report that writes the name without them
// ("UMBRELLA INDUSTRIAL", 0.834) fell under the threshold; word scoring
// weighs them as it weighs a title. Matching leaves the normal form alone:
// it is what the lists' names are told apart by.
var transliteratedLegalWords = setOf("obshchestvo", "obshestvo", "ogranichennoi", "ogranichennoy",
	"ogranichennoj", "otvetstvennostyu", "otvetstvennostiu", "aktsionernoe", "aktsionernoye",
	"otkrytoe", "zakrytoe", "publichnoe")

func setOf(words ...string) map[string]bool {
	m := make(map[string]bool, len(words))
	for _, w := range words {
		m[w] = true
	}
	return m
}

// commonWord reports whether a normalised word proves little on its own.
func commonWord(w string) bool { return commonSurnames[w] || genericOrgWords[w] || placeNames[w] }
