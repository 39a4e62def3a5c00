package ident

import (
	"errors"
	"testing"
)

func TestParseIMO(t *testing.T) {
	for _, tc := range []struct {
		in      string
		want    IMO
		wantErr error
	}{
		{"IMO 8914934", "8914934", nil},
		{"IMO8914934", "8914934", nil},
		{"imo no. 8914934", "8914934", nil},
		{"IMO No: 8914934", "8914934", nil},
		{"IMO number 8712362", "8712362", nil},
		{"ИМО 8712362", "8712362", nil},
		{"IMO 번호 9074729", "9074729", nil},
		{" 9074729 ", "9074729", nil},
		{"IMO 8914935", "", ErrIMOCheckDigit},
		{"8712363", "", ErrIMOCheckDigit},
		{"891493", "", ErrNotIMO},
		{"89149345", "", ErrNotIMO},
		{"IMO 89l4934", "", ErrNotIMO},
		{"", "", ErrNotIMO},
		{"Company IMO 5341436", "", ErrNotIMO},
		{"IMO 5341436 (company)", "", ErrNotIMO},
		{"８９１４９３４", "", ErrNotIMO}, // fullwidth digits are not read
	} {
		t.Run(tc.in, func(t *testing.T) {
			got, err := ParseIMO(tc.in)
			if !errors.Is(err, tc.wantErr) || got != tc.want {
				t.Fatalf("ParseIMO(%q) = %q, %v; want %q, %v", tc.in, got, err, tc.want, tc.wantErr)
			}
		})
	}
}

func TestCheckDigitErrorMessage(t *testing.T) {
	_, err := ParseIMO("IMO 8914935")
	var cde *CheckDigitError
	if !errors.As(err, &cde) || cde.Want != '4' || cde.Digits != "8914935" {
		t.Fatalf("err = %#v", err)
	}
	want := "the check digit of IMO 8914935 is wrong (expected 4 as the last digit) — please check the number"
	if err.Error() != want {
		t.Errorf("message = %q", err.Error())
	}
}

func TestParseCompanyIMO(t *testing.T) {
	for _, in := range []string{"Company IMO 5341436", "Company Number IMO 5341436", "IMO 5341436 (company)", "5341436"} {
		got, err := ParseCompanyIMO(in)
		if err != nil || got != "5341436" {
			t.Errorf("ParseCompanyIMO(%q) = %q, %v", in, got, err)
		}
	}
	if _, err := ParseCompanyIMO("Company IMO 534143"); !errors.Is(err, ErrNotIMO) {
		t.Errorf("six digits: err = %v", err)
	}
}

func TestParseCallSign(t *testing.T) {
	for in, want := range map[string]string{"hm-ab 3": "HMAB3", "Call sign: 3E-UX8": "3EUX8", "t8a 2398": "T8A2398"} {
		if got, err := ParseCallSign(in); err != nil || got != want {
			t.Errorf("ParseCallSign(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, in := range []string{"", "AB", "12345", "ABCDEFGH", "HM_AB"} {
		if _, err := ParseCallSign(in); !errors.Is(err, ErrNotCallSign) {
			t.Errorf("ParseCallSign(%q) err = %v", in, err)
		}
	}
}

func TestParseMMSI(t *testing.T) {
	for _, tc := range []struct {
		in      string
		kind    MMSIKind
		country string
		ship    bool
	}{
		{"MMSI 445112000", MMSIShip, "KP", true},
		{"MMSI: 273 456 789", MMSIShip, "RU", true},
		{"572469210", MMSIShip, "TV", true},
		{"002734567", MMSICoast, "RU", false},
		{"044512345", MMSIGroup, "KP", false},
		{"111273123", MMSISARAircraft, "RU", false},
		{"992731234", MMSIAidToNav, "RU", false},
		{"970123456", MMSIDistressBeacon, "", false},
		{"217123456", MMSIShip, "", false}, // 217 is not allocated
	} {
		m, err := ParseMMSI(tc.in)
		if err != nil {
			t.Fatalf("ParseMMSI(%q): %v", tc.in, err)
		}
		if m.Kind() != tc.kind || m.Country() != tc.country || m.IsShip() != tc.ship {
			t.Errorf("%q: kind %v country %q ship %v", tc.in, m.Kind(), m.Country(), m.IsShip())
		}
		if _, err := ParseShipMMSI(tc.in); (err == nil) != tc.ship || (err != nil && !errors.Is(err, ErrNotShipMMSI)) {
			t.Errorf("ParseShipMMSI(%q) err = %v", tc.in, err)
		}
	}
	for _, in := range []string{"44511200", "4451120001", "MMSI 44511200x", ""} {
		if _, err := ParseMMSI(in); !errors.Is(err, ErrNotMMSI) {
			t.Errorf("ParseMMSI(%q) err = %v", in, err)
		}
	}
}
