package tip_test

import (
	"strings"
	"testing"
	"time"

	"tipline/internal/tip"
)

func TestOfferValidate(t *testing.T) {
	start := time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)
	good := func() tip.Offer {
		return tip.Offer{Title: map[string]string{"en": "Oil"}, MaxRewardUSD: 1_000_000,
			Categories: []tip.Category{"oil", "fishing_fleets"}, StartsAt: start, EndsAt: start.AddDate(0, 1, 0)}
	}
	for _, tc := range []struct {
		name   string
		change func(o *tip.Offer)
		want   string // in the message; "" for valid
	}{
		{"valid", func(*tip.Offer) {}, ""},
		{"open-ended", func(o *tip.Offer) { o.StartsAt, o.EndsAt = time.Time{}, time.Time{} }, ""},
		{"at the ceiling", func(o *tip.Offer) { o.MaxRewardUSD = 5_000_000 }, ""},
		{"no English title", func(o *tip.Offer) { o.Title = map[string]string{"ko": "석유"} }, "English title"},
		{"zero maximum", func(o *tip.Offer) { o.MaxRewardUSD = 0 }, "positive"},
		{"above the ceiling", func(o *tip.Offer) { o.MaxRewardUSD = 5_000_001 }, "ceiling of US$5,000,000"},
		{"no categories", func(o *tip.Offer) { o.Categories = nil }, "at least one category"},
		{"bad category", func(o *tip.Offer) { o.Categories = []tip.Category{"Oil Tankers"} }, "not a category code"},
		{"repeated category", func(o *tip.Offer) { o.Categories = []tip.Category{"oil", "oil"} }, "twice"},
		{"end before start", func(o *tip.Offer) { o.EndsAt = start.AddDate(0, 0, -1) }, "end date"},
		{"end equals start", func(o *tip.Offer) { o.EndsAt = start }, "end date"},
		{"default offer with dates", func(o *tip.Offer) { o.IsDefault = true }, "default offer"},
		{"default offer without dates", func(o *tip.Offer) { o.IsDefault, o.StartsAt, o.EndsAt = true, time.Time{}, time.Time{} }, ""},
		{"long subject", func(o *tip.Offer) { o.Subject = strings.Repeat("x", 201) }, "subject is too long"},
		{"Korean and Russian titles", func(o *tip.Offer) {
			o.Title["ko"], o.Title["ru"] = "석유 밀수", "Контрабанда нефти"
		}, ""},
		{"title with a direction override", func(o *tip.Offer) { o.Title["ko"] = "석유\u202E밀수" }, "ko title holds a control, direction or invisible character"},
		{"title with a zero-width space", func(o *tip.Offer) { o.Title["en"] = "Oil\u200B" }, "en title holds"},
		{"subject with a Hangul filler", func(o *tip.Offer) { o.Subject = "\u3164" }, "subject holds"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			o := good()
			tc.change(&o)
			err := o.Validate(5_000_000)
			if tc.want == "" {
				if err != nil {
					t.Fatalf("want valid, got %v", err)
				}
				return
			}
			if tip.ErrorCode(err) != tip.CodeInvalid || !strings.Contains(tip.ErrorMessage(err), tc.want) {
				t.Fatalf("got %v, want an invalid error mentioning %q", err, tc.want)
			}
		})
	}
}
