package translit_test

import (
	"fmt"

	"tipline/internal/screen/translit"
)

func ExampleAnalyze() {
	a := translit.Analyze("M/V Song-jin Trading Co., Ltd.")
	fmt.Printf("%q %q\n", a.Text, a.Removed)
	// Output: "songjin" ["mv" "trading" "co" "ltd"]
}

func ExampleKeys() {
	fmt.Println(translit.Keys("김정은"))
	// Output: [김정은 kim jong un kimjongun gim jeong eun gimjeongeun kim jong on kimjongon]
}

func ExampleSimilarity() {
	fmt.Printf("%.2f\n", translit.Similarity("Kim Jong Un", "김정은"))
	fmt.Printf("%.2f\n", translit.Similarity("DOKU KHAMATOVICH UMAROV", "Умаров Доку Хаматович"))
	fmt.Printf("%.2f\n", translit.Similarity("Pak Pong Ju", "Park Bong-ju"))
	// Output:
	// 1.00
	// 1.00
	// 0.94
}

func ExampleRomanizeHangul() {
	fmt.Println(translit.RomanizeHangul("최룡해", translit.RevisedRomanization))
	fmt.Println(translit.RomanizeHangul("천명", translit.McCuneReischauer))
	// Output:
	// choe ryong hae
	// chon myong
}
