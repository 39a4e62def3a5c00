package receipt

import (
	"sync"

	"github.com/sethvargo/go-diceware/diceware"
)

// wordList is the EFF large word list with hyphens removed ("drop-down" is
// "dropdown"), so that a source's hyphens and spaces never matter. Two EFF
// words become one that way ("yo-yo" and "yoyo"); the list keeps it once, so
// that every word is drawn with the same chance: 7,775 words.
type wordList struct {
	words   []string
	index   map[string]bool
	longest int
}

var words = sync.OnceValue(func() *wordList {
	eff := diceware.WordListEffLarge()
	l := &wordList{index: make(map[string]bool, 7776)}
	// The list is indexed by five dice rolls: 11111 … 66666.
	for n := 0; n < 7776; n++ {
		roll, x := 0, n
		for range eff.Digits() {
			roll = roll*10 + x%6 + 1
			x /= 6
		}
		w := lettersOnly(eff.WordAt(roll))
		if l.index[w] {
			continue
		}
		l.words = append(l.words, w)
		l.index[w] = true
		l.longest = max(l.longest, len(w))
	}
	return l
})

func lettersOnly(w string) string {
	out := make([]byte, 0, len(w))
	for i := 0; i < len(w); i++ {
		if w[i] >= 'a' && w[i] <= 'z' {
			out = append(out, w[i])
		}
	}
	return string(out)
}

// maxReadings bounds the work an adversarial input can cause.
const maxReadings = 8

// split returns the ways s can be read as exactly n words of the list.
// Dead ends are remembered, so an adversarial input costs at most
// len(s) × n × longest steps.
func (l *wordList) split(s string, n int) [][]string {
	if len(s) > n*l.longest {
		return nil
	}
	type state struct{ pos, left int }
	dead := map[state]bool{}
	var out [][]string
	acc := make([]string, 0, n)
	var walk func(pos int) bool
	walk = func(pos int) bool {
		left := n - len(acc)
		if left == 0 {
			if pos == len(s) {
				out = append(out, append([]string(nil), acc...))
				return true
			}
			return false
		}
		if dead[state{pos, left}] || len(out) >= maxReadings {
			return false
		}
		found := false
		for end := pos + 1; end <= len(s) && end-pos <= l.longest; end++ {
			if l.index[s[pos:end]] {
				acc = append(acc, s[pos:end])
				found = walk(end) || found
				acc = acc[:len(acc)-1]
			}
		}
		if !found {
			dead[state{pos, left}] = true
		}
		return found
	}
	walk(0)
	return out
}
