package desk

import (
	"context"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"tipline/internal/account"
	"tipline/internal/audit"
	"tipline/internal/store"
	"tipline/internal/tip"
	"tipline/internal/web"
)

// dateLayout is how offer dates are written on the desk: whole days, UTC.
const dateLayout = "2006-01-02"

type offerRow struct {
	Offer      tip.Offer
	State      string // active, ended, upcoming
	Starts     string
	Ends       string
	Recipients []string
}

type offersPage struct {
	Session *account.Session
	Offers  []offerRow
	Ceiling int64
}

// offersAdmin lists every offer with its state, so an admin sees which take
// reports now, which have ended and which are still to come.
func (s *Server) offersAdmin(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	offers, err := s.store.Offers(ctx)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p := offersPage{Session: sessionOf(r)}
	if p.Ceiling, err = s.store.RewardCeiling(ctx); err != nil {
		s.fail(w, r, err)
		return
	}
	now := time.Now()
	for _, o := range offers {
		subs, err := s.store.OfferSubscriptions(ctx, o.ID)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		row := offerRow{Offer: o, State: offerState(o, now), Starts: startDate(o.StartsAt), Ends: endDate(o.EndsAt)}
		for _, sub := range subs {
			name := sub.Name
			if sub.Disabled {
				name += " (disabled: receives nothing until enabled)"
			}
			row.Recipients = append(row.Recipients, name)
		}
		p.Offers = append(p.Offers, row)
	}
	s.pages.Render(w, http.StatusOK, "offers", p)
}

func offerState(o tip.Offer, now time.Time) string {
	switch {
	case o.Active(now):
		return "active"
	case !o.StartsAt.IsZero() && now.Before(o.StartsAt):
		return "upcoming"
	}
	return "ended"
}

// An end date is the last day an offer takes reports: it ends at the next
// midnight, UTC.
func startDate(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(dateLayout)
}

func endDate(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().AddDate(0, 0, -1).Format(dateLayout)
}

// offerForm is the create and edit form, with the values as typed, so a
// refused form comes back as the admin left it.
type offerForm struct {
	Session       *account.Session
	Action        string // where the form posts
	ID            string // "" for a new offer
	IsDefault     bool
	Texts         []langText
	Max           string
	Subject       string
	Starts, Ends  string
	Categories    []choice
	NewCategories string
	Analysts      []choice
	Ceiling       int64
	Error         string
}

type langText struct {
	Code, Name, Title, Description string
}

type choice struct {
	Value, Label string
	Checked      bool
}

// newOfferForm shows an empty form with the default maximum.
func (s *Server) newOfferForm(w http.ResponseWriter, r *http.Request) {
	f, err := s.offerFormFor(r.Context(), tip.Offer{MaxRewardUSD: tip.DefaultMaxRewardUSD}, nil)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	f.Session, f.Action = sessionOf(r), "/admin/offers"
	if f.Ceiling < tip.DefaultMaxRewardUSD {
		f.Max = strconv.FormatInt(f.Ceiling, 10)
	}
	s.pages.Render(w, http.StatusOK, "offer_edit", f)
}

// editOfferForm shows an offer's form filled in.
func (s *Server) editOfferForm(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	o, err := s.store.Offer(ctx, r.PathValue("id"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	holders, err := s.store.OfferRecipients(ctx, o.ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var names []string
	for _, h := range holders {
		names = append(names, h.Name)
	}
	f, err := s.offerFormFor(ctx, o, names)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	f.Session, f.Action, f.ID = sessionOf(r), "/admin/offers/"+o.ID, o.ID
	s.pages.Render(w, http.StatusOK, "offer_edit", f)
}

// offerFormFor fills the form from an offer and the holders that receive it.
func (s *Server) offerFormFor(ctx context.Context, o tip.Offer, holders []string) (offerForm, error) {
	f := offerForm{Max: strconv.FormatInt(o.MaxRewardUSD, 10), Subject: o.Subject, Starts: startDate(o.StartsAt), Ends: endDate(o.EndsAt), IsDefault: o.IsDefault}
	for _, l := range web.Languages {
		f.Texts = append(f.Texts, langText{Code: l.Code, Name: l.Native, Title: o.Title[l.Code], Description: o.Description[l.Code]})
	}
	known, err := s.knownCategories(ctx)
	if err != nil {
		return f, err
	}
	for _, c := range known {
		f.Categories = append(f.Categories, choice{Value: string(c), Label: string(c), Checked: o.HasCategory(c)})
	}
	analysts, err := s.analysts(ctx)
	if err != nil {
		return f, err
	}
	for _, u := range analysts {
		f.Analysts = append(f.Analysts, choice{Value: u.ID, Label: u.Name, Checked: slices.Contains(holders, u.Holder())})
	}
	f.Ceiling, err = s.store.RewardCeiling(ctx)
	return f, err
}

// knownCategories are the DPRK categories and any other an offer uses.
func (s *Server) knownCategories(ctx context.Context) ([]tip.Category, error) {
	offers, err := s.store.Offers(ctx)
	if err != nil {
		return nil, err
	}
	out := slices.Clone(tip.DPRKCategories)
	for _, o := range offers {
		for _, c := range o.Categories {
			if !slices.Contains(out, c) {
				out = append(out, c)
			}
		}
	}
	return out, nil
}

// analysts lists the enabled analysts, who may receive an offer's reports.
func (s *Server) analysts(ctx context.Context) ([]tip.User, error) {
	users, err := s.store.Users(ctx)
	if err != nil {
		return nil, err
	}
	return slices.DeleteFunc(users, func(u tip.User) bool { return !u.Has(tip.RoleAnalyst) || u.Disabled }), nil
}

// createOffer adds an offer from the form.
func (s *Server) createOffer(w http.ResponseWriter, r *http.Request) {
	s.saveOffer(w, r, tip.Offer{ID: tip.NewID(), CreatedAt: time.Now().UTC()}, true)
}

// updateOffer saves an edited offer. Its reports and rewards stay with it.
func (s *Server) updateOffer(w http.ResponseWriter, r *http.Request) {
	o, err := s.store.Offer(r.Context(), r.PathValue("id"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.saveOffer(w, r, o, false)
}

// saveOffer reads the form onto o, validates it against the ceiling, stores
// it and sets who receives its new reports. A refused form is shown again,
// as typed, with what to fix.
func (s *Server) saveOffer(w http.ResponseWriter, r *http.Request, o tip.Offer, isNew bool) {
	ctx, sess := r.Context(), sessionOf(r)
	r.Body = http.MaxBytesReader(w, r.Body, 256<<10)
	if err := r.ParseForm(); err != nil {
		s.fail(w, r, tip.Errorf(tip.CodeInvalid, "The form could not be read."))
		return
	}
	f, err := s.offerFormFor(ctx, o, nil)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	f.Session, f.Action = sess, "/admin/offers"
	if !isNew {
		f.ID, f.Action = o.ID, "/admin/offers/"+o.ID
	}
	chosen, err := readOfferForm(r, &o, &f)
	if err == nil {
		err = o.Validate(f.Ceiling)
	}
	if err != nil {
		if tip.ErrorCode(err) != tip.CodeInvalid {
			s.fail(w, r, err)
			return
		}
		f.Error = tip.ErrorMessage(err)
		s.pages.Render(w, http.StatusBadRequest, "offer_edit", f)
		return
	}
	verb := "updated"
	if isNew {
		verb = "created"
	}
	changes, events, err := s.recipientChanges(ctx, sess, o.ID, chosen)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	detail := "offer " + o.ID + " " + verb + ": up to " + tip.USD(o.MaxRewardUSD)
	events = append([]audit.Event{auditEvent(actorOf(sess), "setting.offer", "", detail)}, events...)
	ctx, err = s.audit.Attach(ctx, events...)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if err := s.store.SaveOffer(ctx, o, isNew, changes); err != nil {
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/admin/offers", http.StatusSeeOther)
}

// readOfferForm copies the posted fields onto o and into the form (so they
// are kept if refused) and returns the analysts checked. Validate checks the
// rest.
func readOfferForm(r *http.Request, o *tip.Offer, f *offerForm) ([]tip.User, error) {
	o.Title, o.Description = map[string]string{}, map[string]string{}
	for i, l := range f.Texts {
		l.Title = strings.TrimSpace(r.PostFormValue("title_" + l.Code))
		l.Description = strings.TrimSpace(r.PostFormValue("description_" + l.Code))
		f.Texts[i] = l
		if l.Title != "" {
			o.Title[l.Code] = l.Title
		}
		if l.Description != "" {
			o.Description[l.Code] = l.Description
		}
	}
	f.Max, f.Subject = r.PostFormValue("max_reward"), strings.TrimSpace(r.PostFormValue("subject"))
	f.Starts, f.Ends = strings.TrimSpace(r.PostFormValue("starts")), strings.TrimSpace(r.PostFormValue("ends"))
	f.NewCategories = r.PostFormValue("new_categories")
	o.Subject = f.Subject

	picked := r.PostForm["category"]
	o.Categories = nil
	for i, c := range f.Categories {
		f.Categories[i].Checked = slices.Contains(picked, c.Value)
		if f.Categories[i].Checked {
			o.Categories = append(o.Categories, tip.Category(c.Value))
		}
	}
	for _, c := range strings.FieldsFunc(f.NewCategories, func(r rune) bool { return r == ',' || r == ' ' || r == '\n' || r == '\r' || r == '\t' }) {
		if c := tip.Category(strings.ToLower(c)); !slices.Contains(o.Categories, c) {
			o.Categories = append(o.Categories, c)
		}
	}

	var chosen []tip.User
	picked = r.PostForm["analyst"]
	for i, a := range f.Analysts {
		f.Analysts[i].Checked = slices.Contains(picked, a.Value)
	}
	for _, id := range picked {
		i := slices.IndexFunc(f.Analysts, func(c choice) bool { return c.Value == id })
		if i < 0 {
			return nil, tip.Errorf(tip.CodeInvalid, "One of the chosen analysts is not an enabled analyst any more: check the list and save again.")
		}
		chosen = append(chosen, tip.User{ID: id, Name: f.Analysts[i].Label})
	}

	usd, err := strconv.ParseInt(strings.NewReplacer(",", "", " ", "", "_", "", "$", "").Replace(f.Max), 10, 64)
	if err != nil {
		return nil, tip.Errorf(tip.CodeInvalid, "The maximum reward must be a whole number of US dollars, such as 5000000.")
	}
	o.MaxRewardUSD = usd
	if o.StartsAt, err = parseDay(f.Starts, "start"); err != nil {
		return nil, err
	}
	if o.EndsAt, err = parseDay(f.Ends, "end"); err != nil {
		return nil, err
	}
	if !o.EndsAt.IsZero() {
		o.EndsAt = o.EndsAt.AddDate(0, 0, 1) // the end date is the last day it takes reports
	}
	return chosen, nil
}

func parseDay(v, which string) (time.Time, error) {
	if v == "" {
		return time.Time{}, nil
	}
	t, err := time.Parse(dateLayout, v)
	if err != nil {
		return t, tip.Errorf(tip.CodeInvalid, "The %s date must be written YYYY-MM-DD, such as 2030-12-31.", which)
	}
	return t, nil
}

// recipientChanges works out how to make exactly the chosen analysts
// receive an offer's new reports, with an audit event for each change.
// Holders that are not enabled analysts (the recovery key is added at intake
// anyway; disabled users) are left as they are. Adding someone does not open
// older reports to them: that needs a grant.
func (s *Server) recipientChanges(ctx context.Context, sess *account.Session, offerID string, chosen []tip.User) (store.RecipientChanges, []audit.Event, error) {
	var ch store.RecipientChanges
	var events []audit.Event
	analysts, err := s.analysts(ctx)
	if err != nil {
		return ch, nil, err
	}
	holders, err := s.store.OfferRecipients(ctx, offerID)
	if err != nil {
		return ch, nil, err
	}
	has := func(u tip.User) bool {
		return slices.ContainsFunc(holders, func(h store.Holder) bool { return h.Name == u.Holder() })
	}
	for _, u := range analysts {
		want := slices.ContainsFunc(chosen, func(c tip.User) bool { return c.ID == u.ID })
		switch {
		case want && !has(u):
			ch.Add = append(ch.Add, u.Holder())
			events = append(events, auditEvent(actorOf(sess), "setting.recipient.add", "", "offer "+offerID+" to "+u.Holder()))
		case !want && has(u):
			ch.Remove = append(ch.Remove, u.Holder())
			events = append(events, auditEvent(actorOf(sess), "setting.recipient.remove", "", "offer "+offerID+" holder "+u.Holder()))
		}
	}
	return ch, events, nil
}

// setCeiling changes the installation-wide ceiling on one report's rewards.
// A ceiling below what an offer promises is refused, naming the offer: lower
// the offer first, so no source is promised more than can be paid.
func (s *Server) setCeiling(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	usd, err := strconv.ParseInt(strings.NewReplacer(",", "", " ", "", "_", "", "$", "").Replace(r.PostFormValue("ceiling")), 10, 64)
	if err != nil || usd <= 0 {
		s.fail(w, r, tip.Errorf(tip.CodeInvalid, "The ceiling must be a positive number of whole US dollars, such as 5000000."))
		return
	}
	ctx, err = s.audited(ctx, sessionOf(r), "setting.ceiling", "", "reward ceiling "+tip.USD(usd))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if err := s.store.SetRewardCeilingChecked(ctx, usd); err != nil {
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/admin/offers", http.StatusSeeOther)
}
