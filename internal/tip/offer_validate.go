package tip

import (
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"

	"tipline/internal/visible"
)

// Limits on an offer's text, so one offer cannot swamp the source site.
const (
	MaxOfferTitleRunes       = 200
	MaxOfferDescriptionRunes = 4000
	MaxOfferSubjectRunes     = 200
)

// categoryCode is what a category outside DPRKCategories must look like: it
// becomes part of a message key ("cat_" + code) on the source site, so it is
// lower-case ASCII, 2 to 32 characters, starting with a letter.
var categoryCode = regexp.MustCompile(`^[a-z][a-z0-9_]{1,31}$`)

// KnownCategory reports whether c may be one of an offer's categories: one
// of DPRKCategories, or a new code of the form above. A new code's name on
// the source site comes from the "cat_<code>" message in each catalog; until
// those are added, sources see the code itself in plain words.
func KnownCategory(c Category) bool {
	return slices.Contains(DPRKCategories, c) || categoryCode.MatchString(string(c))
}

// Validate checks an offer an admin writes: an English title; a maximum
// reward that is positive and not above the installation's ceiling;
// categories that are known and not repeated; text within limits; no dates
// on the default offer; and an end after the start when both are set. The
// error is CodeInvalid with a message that says what to fix.
func (o Offer) Validate(ceiling int64) error {
	if strings.TrimSpace(o.Title["en"]) == "" {
		return Errorf(CodeInvalid, "An English title is required: it is the fallback for every language.")
	}
	for lang, t := range o.Title {
		if utf8.RuneCountInString(t) > MaxOfferTitleRunes {
			return Errorf(CodeInvalid, "The %s title is too long: at most %d characters.", lang, MaxOfferTitleRunes)
		}
		if visible.Hidden(t) {
			return Errorf(CodeInvalid, "The %s title holds a control, direction or invisible character (such as a right-to-left override): type it again without it.", lang)
		}
	}
	for lang, d := range o.Description {
		if utf8.RuneCountInString(d) > MaxOfferDescriptionRunes {
			return Errorf(CodeInvalid, "The %s description is too long: at most %d characters.", lang, MaxOfferDescriptionRunes)
		}
	}
	if utf8.RuneCountInString(o.Subject) > MaxOfferSubjectRunes {
		return Errorf(CodeInvalid, "The subject is too long: at most %d characters.", MaxOfferSubjectRunes)
	}
	if visible.Hidden(o.Subject) {
		return Errorf(CodeInvalid, "The subject holds a control, direction or invisible character (such as a right-to-left override): type it again without it.")
	}
	if o.MaxRewardUSD <= 0 {
		return Errorf(CodeInvalid, "The maximum reward must be a positive number of whole US dollars, such as 5000000.")
	}
	if o.MaxRewardUSD > ceiling {
		return Errorf(CodeInvalid, "The maximum reward of %s is above the installation's ceiling of %s: lower it, or raise the ceiling first.", USD(o.MaxRewardUSD), USD(ceiling))
	}
	if len(o.Categories) == 0 {
		return Errorf(CodeInvalid, "Choose at least one category: sources pick one when they report.")
	}
	for i, c := range o.Categories {
		if !KnownCategory(c) {
			return Errorf(CodeInvalid, "%q is not a category code: use lower-case letters, digits and _, 2 to 32 characters, starting with a letter (e.g. fishing_fleets).", string(c))
		}
		if slices.Contains(o.Categories[:i], c) {
			return Errorf(CodeInvalid, "The category %s is listed twice.", string(c))
		}
	}
	if o.IsDefault && (!o.StartsAt.IsZero() || !o.EndsAt.IsZero()) {
		// Reports sent without choosing an offer go to the default one, so
		// it must always take them.
		return Errorf(CodeInvalid, "The default offer takes every report sent without choosing an offer, so it has no first or last day: leave both dates empty.")
	}
	if !o.StartsAt.IsZero() && !o.EndsAt.IsZero() && !o.EndsAt.After(o.StartsAt) {
		return Errorf(CodeInvalid, "The end date must be after the start date.")
	}
	return nil
}
