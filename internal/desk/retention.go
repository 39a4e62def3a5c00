package desk

import (
	"context"
	"time"

	"tipline/internal/tip"
)

// ShredWarning is how long before shredding the queue warns about a closed
// report.
const ShredWarning = 30 * 24 * time.Hour

// Run shreds closed reports whose retention has run out, and deletes
// expired sessions, every hour, until ctx ends. Nothing is shredded when
// Retention is zero.
func (s *Server) Run(ctx context.Context) {
	tick := time.NewTicker(time.Hour)
	defer tick.Stop()
	for {
		if _, err := s.Shred(ctx, time.Now()); err != nil && ctx.Err() == nil {
			s.outage.Failed(s.log, "retention: shredding failed", err)
		}
		if err := s.store.SweepDeskSessions(ctx); err != nil && ctx.Err() == nil {
			s.outage.Failed(s.log, "sweeping expired desk sessions failed", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
	}
}

// Shred deletes the closed reports due at now — never one on legal hold —
// and audits each. It returns how many it shredded.
func (s *Server) Shred(ctx context.Context, now time.Time) (int, error) {
	if s.cfg.Retention <= 0 {
		return 0, nil
	}
	due, err := s.store.ShredDue(ctx, now.Add(-s.cfg.Retention))
	if err != nil {
		return 0, err
	}
	for i, id := range due {
		// The shredding and its audit entry commit together.
		audited, err := s.audit.Attach(ctx, auditEvent("system", "tip.shred", id, "retention "+s.cfg.Retention.String()))
		if err != nil {
			return i, err
		}
		if err := s.store.ShredTip(audited, id); err != nil {
			return i, err
		}
	}
	return len(due), nil
}

// shredDate says when a closed report will be shredded, or "" if never.
func (s *Server) shredDate(closed time.Time, legalHold bool) string {
	if s.cfg.Retention <= 0 || closed.IsZero() || legalHold {
		return ""
	}
	at := closed.Add(s.cfg.Retention)
	if time.Until(at) > ShredWarning {
		return ""
	}
	return at.UTC().Format("2006-01-02")
}

// rewardExempt reports whether an open or paid reward keeps a report from
// being shredded (see store.ShredDue).
func (s *Server) rewardExempt(ctx context.Context, tipID string) (bool, error) {
	rewards, err := s.store.RewardsOfTip(ctx, tipID)
	if err != nil {
		return false, err
	}
	for _, r := range rewards {
		if r.State() != tip.RewardDenied {
			return true, nil
		}
	}
	return false, nil
}
