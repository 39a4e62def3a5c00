package tip

import (
	"errors"
	"strconv"
	"strings"
	"unicode/utf8"

	"tipline/internal/screen/ident"
)

// Limits on what a source can write. Generous: a crew member's account of a
// voyage is long. They bound memory, not expression.
const (
	MaxMessageBytes = 100_000
	MaxFieldBytes   = 10_000
	MaxListLines    = 200
	MaxVessels      = 20
)

// HowKnown says how a source came to know what they report.
type HowKnown string

const (
	KnownSaw       HowKnown = "saw"
	KnownDocuments HowKnown = "documents"
	KnownHeard     HowKnown = "heard"
)

// Vessel is one ship named in a report.
type Vessel struct {
	Name string `json:"name,omitempty"`
	IMO  string `json:"imo,omitempty"`
	MMSI string `json:"mmsi,omitempty"`
	Flag string `json:"flag,omitempty"`
}

func (v Vessel) empty() bool { return v.Name == "" && v.IMO == "" && v.MMSI == "" && v.Flag == "" }

// File is a file sent with a report or message. Its content is the sealed
// blob BlobID; everything here is sealed too.
type File struct {
	Name     string         `json:"name"`
	Type     string         `json:"type"`
	Size     int64          `json:"size"`
	BlobID   string         `json:"blob"`
	Metadata MetadataReport `json:"metadata"`
}

// MetadataReport says what metadata a file carried and what became of it.
type MetadataReport struct {
	Checked bool           `json:"checked"`
	Note    string         `json:"note,omitempty"`
	Items   []MetadataItem `json:"items,omitempty"`
}

// MetadataItem is one piece of metadata found in a file.
type MetadataItem struct {
	Category string `json:"category"`
	Label    string `json:"label"`
	Value    string `json:"value,omitempty"`
	Removed  bool   `json:"removed"`
}

// Report is what a source sent: stored only sealed to the tip's key.
type Report struct {
	Language       string   `json:"language"`
	Category       Category `json:"category"`
	Message        string   `json:"message"`
	When           string   `json:"when,omitempty"`
	Where          string   `json:"where,omitempty"`
	Latitude       string   `json:"latitude,omitempty"`
	Longitude      string   `json:"longitude,omitempty"`
	Vessels        []Vessel `json:"vessels,omitempty"`
	Companies      []string `json:"companies,omitempty"`
	People         []string `json:"people,omitempty"`
	Wallets        []string `json:"wallets,omitempty"`
	BankAccounts   []string `json:"bank_accounts,omitempty"`
	HowKnown       HowKnown `json:"how_known,omitempty"`
	WantsReward    bool     `json:"wants_reward"`
	KeepMetadata   bool     `json:"keep_metadata"`
	SendOthersAsIs bool     `json:"send_others_as_is"`
	Files          []File   `json:"files,omitempty"`
}

// FieldError is a problem with one field of a form, as a message key and an
// argument, so that it can be shown in the source's language next to the field.
type FieldError struct {
	Key string
	Arg string
}

// FieldErrors maps form field names to their problem.
type FieldErrors map[string]FieldError

func (fe FieldErrors) Error() string {
	var b strings.Builder
	b.WriteString("invalid report:")
	for f, e := range fe {
		b.WriteString(" " + f + "=" + e.Key)
	}
	return b.String()
}

// Normalize trims fields and drops empty vessel rows and list lines.
func (r *Report) Normalize() {
	r.Message = strings.TrimSpace(r.Message)
	for _, s := range []*string{&r.When, &r.Where, &r.Latitude, &r.Longitude} {
		*s = strings.TrimSpace(*s)
	}
	vessels := r.Vessels[:0]
	for _, v := range r.Vessels {
		v = Vessel{strings.TrimSpace(v.Name), strings.TrimSpace(v.IMO), strings.TrimSpace(v.MMSI), strings.TrimSpace(v.Flag)}
		if !v.empty() {
			vessels = append(vessels, v)
		}
	}
	r.Vessels = vessels
}

// Validate checks a report against the offer it is sent to.
func (r *Report) Validate(offer Offer) error {
	fe := FieldErrors{}
	if !offer.HasCategory(r.Category) {
		fe["category"] = FieldError{Key: "err_category"}
	}
	switch {
	case r.Message == "":
		fe["message"] = FieldError{Key: "err_message_required"}
	case len(r.Message) > MaxMessageBytes:
		fe["message"] = FieldError{Key: "err_too_long", Arg: strconv.Itoa(MaxMessageBytes)}
	}
	for name, s := range map[string]string{"when": r.When, "where": r.Where} {
		if len(s) > MaxFieldBytes {
			fe[name] = FieldError{Key: "err_too_long", Arg: strconv.Itoa(MaxFieldBytes)}
		}
	}
	for name, lines := range map[string][]string{"companies": r.Companies, "people": r.People, "wallets": r.Wallets, "bank_accounts": r.BankAccounts} {
		if len(lines) > MaxListLines {
			fe[name] = FieldError{Key: "err_too_many_lines", Arg: strconv.Itoa(MaxListLines)}
		}
	}
	validateCoordinates(r, fe)
	if len(r.Vessels) > MaxVessels {
		fe["vessels"] = FieldError{Key: "err_too_many_lines", Arg: strconv.Itoa(MaxVessels)}
	}
	for i, v := range r.Vessels {
		validateVessel(i, v, fe)
	}
	switch r.HowKnown {
	case "", KnownSaw, KnownDocuments, KnownHeard:
	default:
		fe["how_known"] = FieldError{Key: "err_choice"}
	}
	validateEncoding(r, fe)
	if len(fe) > 0 {
		return fe
	}
	return nil
}

// validateEncoding refuses text that is not valid UTF-8 anywhere in the
// report: sealed as JSON, it would silently turn into U+FFFD. A list's
// problem is shown at the list; the rest at the message, which every
// report has.
func validateEncoding(r *Report, fe FieldErrors) {
	texts := []string{r.Message, r.When, r.Where}
	for _, v := range r.Vessels {
		texts = append(texts, v.Name, v.Flag)
	}
	for _, s := range texts {
		if !utf8.ValidString(s) {
			fe["message"] = FieldError{Key: "err_encoding"}
		}
	}
	for name, lines := range map[string][]string{"companies": r.Companies, "people": r.People, "wallets": r.Wallets, "bank_accounts": r.BankAccounts} {
		for _, s := range lines {
			if !utf8.ValidString(s) {
				fe[name] = FieldError{Key: "err_encoding"}
			}
		}
	}
}

func validateCoordinates(r *Report, fe FieldErrors) {
	if r.Latitude == "" && r.Longitude == "" {
		return
	}
	lat, err1 := strconv.ParseFloat(strings.ReplaceAll(r.Latitude, ",", "."), 64)
	lon, err2 := strconv.ParseFloat(strings.ReplaceAll(r.Longitude, ",", "."), 64)
	if err1 != nil || lat < -90 || lat > 90 {
		fe["latitude"] = FieldError{Key: "err_latitude"}
	}
	if err2 != nil || lon < -180 || lon > 180 {
		fe["longitude"] = FieldError{Key: "err_longitude"}
	}
}

func validateVessel(i int, v Vessel, fe FieldErrors) {
	row := strconv.Itoa(i)
	if v.IMO != "" {
		_, err := ident.ParseIMO(v.IMO)
		switch {
		case errors.Is(err, ident.ErrIMOCheckDigit):
			fe["vessel_imo."+row] = FieldError{Key: "err_imo_check_digit", Arg: v.IMO}
		case err != nil:
			fe["vessel_imo."+row] = FieldError{Key: "err_imo_shape", Arg: v.IMO}
		}
	}
	if v.MMSI != "" {
		if _, err := ident.ParseMMSI(v.MMSI); err != nil {
			fe["vessel_mmsi."+row] = FieldError{Key: "err_mmsi", Arg: v.MMSI}
		}
	}
}
