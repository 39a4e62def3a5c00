package desk

import (
	"context"

	"tipline/internal/account"
	"tipline/internal/screening"
	"tipline/internal/seal"
	"tipline/internal/tip"
)

// screeningOf returns a report's screening — the latest stored one, else the
// one sealed with the report at intake — screening it again first when the
// lists changed since, or when the blind index flagged it: names are
// re-checked only when an analyst opens the report, since only they can.
func (s *Server) screeningOf(ctx context.Context, sess *account.Session, t tip.Tip, rep *tip.Report, atIntake *screening.Outcome, key *seal.Key) (*screening.Outcome, error) {
	sealed, rescreen, err := s.store.Screening(ctx, t.ID)
	if err != nil {
		return nil, err
	}
	var out screening.Outcome
	found := sealed != nil || atIntake != nil
	if sealed != nil {
		if err := openJSON(sealed, key, &out); err != nil {
			return nil, err
		}
	} else if atIntake != nil {
		out = *atIntake
	}
	svc := s.cfg.Screening
	if svc == nil || svc.Versions() == "" || (found && !rescreen && out.Versions == svc.Versions()) {
		if !found {
			return nil, nil
		}
		return &out, nil
	}
	out = svc.Rescreen(ctx, rep, out, t.ReceivedAt)
	sealedNew, err := sealJSON(out, key)
	if err != nil {
		return nil, err
	}
	audited, err := s.audited(ctx, sess, "tip.rescreen", t.ID, "lists changed")
	if err != nil {
		return nil, err
	}
	if err := s.store.SetScreening(audited, t.ID, sealedNew, out.HasHits()); err != nil {
		return nil, err
	}
	return &out, nil
}

// namedBeforeOf returns the listed entries a report named before Tipline
// held a list naming them, screening it again first when the lists changed,
// as opening the report would: the committee sees on a recommendation what
// the analyst sees on the report.
func (s *Server) namedBeforeOf(ctx context.Context, sess *account.Session, t tip.Tip, key *seal.Key) ([]screening.NamedBefore, error) {
	sealed, err := s.store.TipContent(ctx, t.ID)
	if err != nil {
		return nil, err
	}
	var content screening.Screened
	if err := openJSON(sealed, key, &content); err != nil {
		return nil, err
	}
	out, err := s.screeningOf(ctx, sess, t, &content.Report, content.Screening, key)
	if err != nil || out == nil {
		return nil, err
	}
	return out.NamedBefore, nil
}
