package tip_test

import (
	"errors"
	"testing"

	"tipline/internal/tip"
)

func defaultOffer() tip.Offer {
	return tip.Offer{ID: "o", Categories: tip.DPRKCategories}
}

func TestValidateFlagsProblemsByField(t *testing.T) {
	tests := []struct {
		name   string
		report tip.Report
		field  string
		key    string
	}{
		{"message required", tip.Report{Category: "oil"}, "message", "err_message_required"},
		{"unknown category", tip.Report{Category: "weather", Message: "x"}, "category", "err_category"},
		{"IMO with a wrong check digit is flagged, not accepted",
			tip.Report{Category: "oil", Message: "x", Vessels: []tip.Vessel{{Name: "A"}, {IMO: "IMO 8914935"}}},
			"vessel_imo.1", "err_imo_check_digit"},
		{"IMO of the wrong shape", tip.Report{Category: "oil", Message: "x", Vessels: []tip.Vessel{{IMO: "12345"}}},
			"vessel_imo.0", "err_imo_shape"},
		{"latitude out of range", tip.Report{Category: "oil", Message: "x", Latitude: "95", Longitude: "120"},
			"latitude", "err_latitude"},
		{"unknown how-known answer", tip.Report{Category: "oil", Message: "x", HowKnown: "dreamt"}, "how_known", "err_choice"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.report.Normalize()
			err := tt.report.Validate(defaultOffer())
			var fe tip.FieldErrors
			if !errors.As(err, &fe) {
				t.Fatalf("want field errors, got %v", err)
			}
			if fe[tt.field].Key != tt.key {
				t.Fatalf("field %s: got %+v, want %s (all: %v)", tt.field, fe[tt.field], tt.key, fe)
			}
		})
	}
}

func TestValidateAcceptsAFullReport(t *testing.T) {
	r := tip.Report{
		Category: "ship_to_ship", Message: "Two tankers alongside at night", Latitude: "38.9", Longitude: "124,5",
		Vessels: []tip.Vessel{{Name: "CHON MYONG 1", IMO: "IMO 8712362"}, {}}, HowKnown: tip.KnownSaw,
	}
	r.Normalize()
	if err := r.Validate(defaultOffer()); err != nil {
		t.Fatal(err)
	}
	if len(r.Vessels) != 1 {
		t.Fatalf("empty vessel rows should be dropped, got %d", len(r.Vessels))
	}
}

func TestInternalStatusesMapToAFewPublicStates(t *testing.T) {
	if tip.StatusReferred.Public() != tip.PublicUnderReview {
		t.Fatal("a referral must read as under review to the source")
	}
	if tip.StatusClosedDup.Public() != tip.PublicClosed || tip.StatusNew.Public() != tip.PublicReceived {
		t.Fatal("wrong public mapping")
	}
	if tip.Status("custom_by_admin").Public() != tip.PublicUnderReview {
		t.Fatal("unknown statuses must reveal nothing")
	}
}
