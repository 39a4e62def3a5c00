package translit

// Similarity scores how likely two names are to be the same name, in
// [0, 1]; see Name.Similarity.
func Similarity(a, b string) float64 { return Compile(a).Similarity(Compile(b)) }

// Similarity compares every form of n with every form of m at the same
// level (text with text, Latin key with Latin key, Korean key with Korean
// key) and returns the best score, discounted for the coarser levels. Two
// forms score 1 when equal, including when they differ only in spacing
// ("song jin" and "songjin"); otherwise the words are paired one to one,
// best pairs first, and the score is the mean of the pairs' Jaro–Winkler
// similarities over the words of each name, averaged both ways (Monge–Elkan
// for names of more than eight words). That ignores word order ("Kim Jong
// Un" = "Jong Un Kim") and penalises missing and extra words. Whole strings are not compared with Jaro–Winkler, since
// that scores "kimjongun" and "kimjongil" as near-equal.
func (n Name) Similarity(m Name) float64 {
	best := 0.0
	for i := range n.forms {
		x := &n.forms[i]
		if x.skip {
			continue
		}
		for j := range m.forms {
			y := &m.forms[j]
			if y.skip || x.level != y.level {
				continue
			}
			w := levelWeight[x.level]
			if w <= best {
				continue
			}
			if s := w * formSimilarity(x, y); s > best {
				best = s
			}
		}
	}
	return best
}

func formSimilarity(x, y *form) float64 {
	if x.joined == y.joined {
		return 1
	}
	if len(x.tokens) <= maxPaired && len(y.tokens) <= maxPaired {
		sum := pairedSum(x.tokens, y.tokens)
		return (sum/float64(len(x.tokens)) + sum/float64(len(y.tokens))) / 2
	}
	return mongeElkan(x.tokens, y.tokens)
}

const minWordSimilarity = 0.75

// maxPaired is the longest name, in words, whose words are paired one to
// one (pairedSum); longer names fall back to mongeElkan.
const maxPaired = 8

// pairedSum pairs the words of a and b one to one, best pairs first, and
// sums the Jaro–Winkler similarities of the pairs at or above
// minWordSimilarity. Unlike Monge–Elkan, one word cannot stand for two:
// "Danielle Davis" is not "Daniel" twice over.
func pairedSum(a, b []string) float64 {
	var sims [maxPaired][maxPaired]float64
	for i, s := range a {
		for j, t := range b {
			sims[i][j] = JaroWinkler(s, t)
		}
	}
	var usedA, usedB [maxPaired]bool
	sum := 0.0
	for range min(len(a), len(b)) {
		best, bi, bj := -1.0, 0, 0
		for i := range a {
			if usedA[i] {
				continue
			}
			for j := range b {
				if !usedB[j] && sims[i][j] > best {
					best, bi, bj = sims[i][j], i, j
				}
			}
		}
		if best < minWordSimilarity {
			break
		}
		usedA[bi], usedB[bj] = true, true
		sum += best
	}
	return sum
}

// mongeElkan is the Monge–Elkan similarity taken both ways: the mean, over
// the words of a, of each word's best Jaro–Winkler similarity to a word of
// b, averaged with the same over the words of b. Each pair of words is
// compared once: for long names (an organisation's
// full name runs to twenty words and more) the comparisons are most of
// the cost of a query.
func mongeElkan(a, b []string) float64 {
	if len(a) == 0 || len(b) == 0 {
		return 0
	}
	var rowArr, colArr [64]float64
	row, col := rowArr[:0], colArr[:0]
	if len(a) > len(rowArr) || len(b) > len(colArr) {
		row, col = make([]float64, 0, len(a)), make([]float64, 0, len(b))
	}
	row, col = row[:len(a)], col[:len(b)]
	clear(row)
	clear(col)
	for i, s := range a {
		for j, t := range b {
			v := JaroWinkler(s, t)
			row[i] = max(row[i], v)
			col[j] = max(col[j], v)
		}
	}
	// Below minWordSimilarity, two words share a letter or two by chance.
	mean := func(best []float64) float64 {
		sum := 0.0
		for _, v := range best {
			if v >= minWordSimilarity {
				sum += v
			}
		}
		return sum / float64(len(best))
	}
	return (mean(row) + mean(col)) / 2
}

// JaroWinkler returns the Jaro–Winkler similarity of two strings, compared
// rune by rune, with the usual prefix scale 0.1 over at most four runes.
// ASCII strings (every romanised or normalised Latin name) are compared
// byte by byte without allocating, since a query scores hundreds of pairs.
func JaroWinkler(a, b string) float64 {
	if a == b {
		return 1
	}
	if len(a) == 0 || len(b) == 0 {
		return 0
	}
	if isASCII(a) && isASCII(b) {
		return jaroWinkler([]byte(a), []byte(b))
	}
	return jaroWinkler([]rune(a), []rune(b))
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

// jaroWinkler is JaroWinkler over bytes or runes. The match flags live in
// fixed arrays for words of up to 64 letters, so the common case does not
// allocate.
func jaroWinkler[T byte | rune](ra, rb []T) float64 {
	if len(ra) == 0 || len(rb) == 0 {
		return 0
	}
	var fa, fb [64]bool
	ma, mb := fa[:], fb[:]
	if len(ra) > len(fa) || len(rb) > len(fb) {
		ma, mb = make([]bool, len(ra)), make([]bool, len(rb))
	}
	ma, mb = ma[:len(ra)], mb[:len(rb)]
	window := max(len(ra), len(rb))/2 - 1
	window = max(window, 0)
	matches := 0
	for i, r := range ra {
		lo, hi := max(0, i-window), min(len(rb), i+window+1)
		for j := lo; j < hi; j++ {
			if !mb[j] && rb[j] == r {
				ma[i], mb[j] = true, true
				matches++
				break
			}
		}
	}
	if matches == 0 {
		return 0
	}
	transpositions, k := 0, 0
	for i := range ra {
		if !ma[i] {
			continue
		}
		for !mb[k] {
			k++
		}
		if ra[i] != rb[k] {
			transpositions++
		}
		k++
	}
	m := float64(matches)
	jaro := (m/float64(len(ra)) + m/float64(len(rb)) + (m-float64(transpositions)/2)/m) / 3
	prefix := 0
	for prefix < min(4, len(ra), len(rb)) && ra[prefix] == rb[prefix] {
		prefix++
	}
	return jaro + float64(prefix)*0.1*(1-jaro)
}
