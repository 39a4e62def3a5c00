package translit

import "testing"

var benchNames = []string{"KOREA KWANGSON BANKING CORP", "김정은", "Умаров Доку Хаматович", "丹東鴻祥實業發展有限公司", "M/V CHON MYONG 1", "Choe Ryong Hae"}

func BenchmarkKeys(b *testing.B) {
	for b.Loop() {
		for _, n := range benchNames {
			Keys(n)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(benchNames)), "ns/name")
}

func BenchmarkSimilarityCompiled(b *testing.B) {
	q, l := Compile("Kim Jong Un"), Compile("김정은")
	for b.Loop() {
		q.Similarity(l)
	}
}
