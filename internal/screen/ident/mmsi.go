package ident

import (
	"fmt"
	"strings"
)

// MMSI is a Maritime Mobile Service Identity: nine ASCII digits. It has no
// check digit; what can be checked is its structure (ITU-R M.585), which
// says what kind of station it names and, through the Maritime
// Identification Digits (MID), which administration issued it.
type MMSI string

// MMSIKind is the kind of station an MMSI identifies.
type MMSIKind int

// Kinds of station, from the leading digits of the MMSI.
const (
	MMSIShip           MMSIKind = iota // MIDxxxxxx, first digit 2–7
	MMSIGroup                          // 0MIDxxxxx: a group of ships
	MMSICoast                          // 00MIDxxxx: a coast station
	MMSISARAircraft                    // 111MIDxxx
	MMSIHandheld                       // 8MIDxxxxx: handheld VHF with DSC
	MMSIAidToNav                       // 99MIDxxxx: AIS aid to navigation
	MMSICraft                          // 98MIDxxxx: craft associated with a parent ship
	MMSIDistressBeacon                 // 970 AIS-SART, 972 man-overboard, 974 EPIRB-AIS
	MMSIOther                          // any other nine digits
)

var mmsiKindNames = [...]string{"ship", "group", "coast station", "SAR aircraft",
	"handheld VHF", "aid to navigation", "craft of a parent ship", "distress beacon", "other"}

func (k MMSIKind) String() string {
	if k < 0 || int(k) >= len(mmsiKindNames) {
		return "unknown"
	}
	return mmsiKindNames[k]
}

// Kind says what kind of station m identifies.
func (m MMSI) Kind() MMSIKind {
	s := string(m)
	if len(s) != 9 {
		return MMSIOther
	}
	switch {
	case s[0] >= '2' && s[0] <= '7':
		return MMSIShip
	case strings.HasPrefix(s, "00"):
		return MMSICoast
	case s[0] == '0':
		return MMSIGroup
	case strings.HasPrefix(s, "111"):
		return MMSISARAircraft
	case s[0] == '8':
		return MMSIHandheld
	case strings.HasPrefix(s, "99"):
		return MMSIAidToNav
	case strings.HasPrefix(s, "98"):
		return MMSICraft
	case strings.HasPrefix(s, "970"), strings.HasPrefix(s, "972"), strings.HasPrefix(s, "974"):
		return MMSIDistressBeacon
	}
	return MMSIOther
}

// MID returns the Maritime Identification Digits embedded in m, or 0 when
// its kind carries none (distress beacons, other).
func (m MMSI) MID() int {
	s := string(m)
	off := -1
	switch m.Kind() {
	case MMSIShip:
		off = 0
	case MMSIGroup, MMSIHandheld:
		off = 1
	case MMSICoast, MMSIAidToNav, MMSICraft:
		off = 2
	case MMSISARAircraft:
		off = 3
	}
	if off < 0 {
		return 0
	}
	return int(s[off]-'0')*100 + int(s[off+1]-'0')*10 + int(s[off+2]-'0')
}

// Country returns the ISO 3166 code of the administration that holds m's
// MID, or "" when the MID is unallocated or m has none.
func (m MMSI) Country() string { return midCountry[m.MID()] }

// IsShip reports whether m is a ship station's MMSI with an allocated MID
// between 201 and 775, the only MMSIs a vessel on a list can carry.
func (m MMSI) IsShip() bool {
	return m.Kind() == MMSIShip && m.Country() != ""
}

// ParseMMSI reads nine digits, optionally after an "MMSI" label and with
// spaces between digit groups ("MMSI: 273 456 789"). Any well-formed MMSI
// is returned, whatever its kind; ParseShipMMSI refuses the ones a ship
// cannot have. Errors wrap ErrNotMMSI.
func ParseMMSI(s string) (MMSI, error) {
	t := strings.TrimSpace(s)
	for _, label := range []string{"MMSI", "mmsi", "Mmsi", "ММСИ"} {
		if strings.HasPrefix(t, label) {
			t = strings.TrimPrefix(t, label)
			break
		}
	}
	t = strings.TrimLeft(t, " :.#№-")
	var b strings.Builder
	for i := 0; i < len(t); i++ {
		switch c := t[i]; {
		case c >= '0' && c <= '9':
			b.WriteByte(c)
		case c == ' ' && i > 0 && i < len(t)-1:
		default:
			return "", fmt.Errorf("%q: %w", truncate(s, 40), ErrNotMMSI)
		}
	}
	if b.Len() != 9 {
		return "", fmt.Errorf("%q: %w", truncate(s, 40), ErrNotMMSI)
	}
	return MMSI(b.String()), nil
}

// ParseShipMMSI is ParseMMSI that also requires a ship station number with
// an allocated MID; other kinds wrap ErrNotShipMMSI and name the kind.
func ParseShipMMSI(s string) (MMSI, error) {
	m, err := ParseMMSI(s)
	if err != nil {
		return "", err
	}
	if m.Kind() != MMSIShip {
		return "", fmt.Errorf("MMSI %s identifies a %s: %w", m, m.Kind(), ErrNotShipMMSI)
	}
	if m.Country() == "" {
		return "", fmt.Errorf("MMSI %s has the unallocated MID %d: %w", m, m.MID(), ErrNotShipMMSI)
	}
	return m, nil
}
