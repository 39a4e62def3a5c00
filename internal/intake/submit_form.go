package intake

import (
	"context"
	"net/http"
	"time"

	"tipline/internal/tip"
)

// vesselRows is how many ship rows the form shows open: enough for a
// ship-to-ship transfer and its escort. The rest, up to tip.MaxVessels, are
// in a "More ships" section the source opens without JavaScript (a
// <details> element), open already when the source filled any of them.
const vesselRows = 3

// formView is the submission form with the source's answers and problems.
type formView struct {
	page
	OfferID    string
	OfferTitle string
	Categories []tip.Category
	HowKnown   []tip.HowKnown
	Report     tip.Report
	VesselRows []tip.Vessel // tip.MaxVessels rows; from MoreVesselsFrom on, under "More ships"
	// MoreVesselsFrom is the first row in the "More ships" section.
	MoreVesselsFrom int
	MoreVesselsOpen bool
	ListFields      []listField
	Errors          tip.FieldErrors
	FilesLost       bool
	MaxUpload       string
}

// listField is a list a source types one item a line; Hint is the message
// key of what the form says under its label.
type listField struct{ Name, Value, Hint string }

// submitForm shows an empty form, for the default offer or ?offer=ID.
func (s *Server) submitForm(w http.ResponseWriter, r *http.Request, lang string) {
	offer, err := s.chooseOffer(r.Context(), r.URL.Query().Get("offer"))
	if err != nil {
		s.fail(w, lang, err)
		return
	}
	s.renderForm(w, http.StatusOK, lang, offer, &tip.Report{}, nil, false)
}

// chooseOffer returns the offer asked for, or the default offer. An ended
// offer takes no reports.
func (s *Server) chooseOffer(ctx context.Context, id string) (tip.Offer, error) {
	if id == "" {
		return s.store.DefaultOffer(ctx)
	}
	o, err := s.store.Offer(ctx, id)
	if err != nil {
		return o, err
	}
	if !o.Active(time.Now()) {
		return o, tip.Errorf(tip.CodeNotFound, "offer has ended")
	}
	return o, nil
}

func (s *Server) renderForm(w http.ResponseWriter, status int, lang string, offer tip.Offer, rep *tip.Report, fe tip.FieldErrors, filesLost bool) {
	rows := append([]tip.Vessel(nil), rep.Vessels...)
	for len(rows) < tip.MaxVessels {
		rows = append(rows, tip.Vessel{})
	}
	v := formView{
		page: s.page(lang), Categories: offer.Categories, HowKnown: []tip.HowKnown{tip.KnownSaw, tip.KnownDocuments, tip.KnownHeard},
		Report: *rep, VesselRows: rows, MoreVesselsFrom: vesselRows, MoreVesselsOpen: len(rep.Vessels) > vesselRows, Errors: fe, FilesLost: filesLost, MaxUpload: humanBytes(s.cfg.MaxBytes),
		ListFields: []listField{
			{"companies", lines(rep.Companies), "f_companies_hint"}, {"people", lines(rep.People), "f_people_hint"},
			{"wallets", lines(rep.Wallets), "f_one_per_line"}, {"bank_accounts", lines(rep.BankAccounts), "f_one_per_line"},
		},
	}
	if !offer.IsDefault {
		v.OfferID, v.OfferTitle = offer.ID, tip.Text(offer.Title, lang)
	}
	s.pages.Render(w, status, "submit", v)
}
