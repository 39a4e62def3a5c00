// Package metrics is what an operator watches: health, readiness and
// Prometheus metrics, served on a listener of their own (serve --metrics),
// never on the source site or the desk.
//
// What it promises: no label value identifies a source, a report, a
// receipt, a user or an address — labels are outcomes, statuses, list
// sources and kinds, from fixed sets. Counters count events of the whole
// installation; nothing here is per-person.
package metrics

import (
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
)

// The metrics Tipline counts. They live in the Registry below, not in
// Prometheus' default one, so that the listener shows Tipline's and Go's
// runtime figures and nothing a library registers on its own.
var (
	Registry = prometheus.NewRegistry()

	Submissions = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "tipline_submissions_total",
		Help: "Reports sent to the source site, by outcome: accepted (committed, receipt shown), invalid, too_large, busy (budget, quota, overload), no_room (the disk is full, or would fall under serve --min-free), failed.",
	}, []string{"outcome"})
	BytesReceived = prometheus.NewCounter(prometheus.CounterOpts{
		Name: "tipline_received_bytes_total",
		Help: "Bytes of request bodies the source site received (reports, replies, receipt logins).",
	})
	SourceLogins = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "tipline_source_logins_total",
		Help: "Receipt logins on the source site, by outcome: ok, refused, busy.",
	}, []string{"outcome"})
	SourceMessages = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "tipline_source_messages_total",
		Help: "Replies sources sent through their receipt, by outcome: accepted, invalid, too_large, busy, no_room, failed.",
	}, []string{"outcome"})
	DeskLogins = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "tipline_desk_logins_total",
		Help: "Desk logins, by outcome: ok, enrol (an enrolment code was used), fail, busy.",
	}, []string{"outcome"})
	Throttled = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "tipline_throttled_total",
		Help: "Requests slowed or refused to stop guessing and floods, by kind: desk_login, receipt, upload.",
	}, []string{"kind"})
	CommitSeconds = prometheus.NewHistogram(prometheus.HistogramOpts{
		Name:    "tipline_commit_seconds",
		Help:    "Time to commit a batch of reports to the database (fsynced), in seconds.",
		Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5},
	})
	ListRefreshes = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "tipline_list_refreshes_total",
		Help: "Automatic refreshes of the sanctions lists, by source and outcome: ok (imported or unchanged), failed (the last good version stays in force).",
	}, []string{"source", "outcome"})
	NotificationsSent = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "tipline_notifications_total",
		Help: "Notification emails to desk users, by outcome: sent, failed.",
	}, []string{"outcome"})
)

// ObserveCommit records the time since start as one commit's latency:
// defer ObserveCommit(time.Now()).
func ObserveCommit(start time.Time) { CommitSeconds.Observe(time.Since(start).Seconds()) }

func init() {
	Registry.MustRegister(Submissions, BytesReceived, SourceLogins, SourceMessages, DeskLogins, Throttled, CommitSeconds, NotificationsSent, ListRefreshes,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	// Every outcome appears from the start, at zero, so that a rate or an
	// alert on one works before the first event.
	for _, o := range []string{"accepted", "invalid", "too_large", "busy", "no_room", "failed"} {
		Submissions.WithLabelValues(o)
		SourceMessages.WithLabelValues(o)
	}
	for _, o := range []string{"ok", "refused", "busy"} {
		SourceLogins.WithLabelValues(o)
	}
	for _, o := range []string{"ok", "enrol", "fail", "busy"} {
		DeskLogins.WithLabelValues(o)
	}
	for _, k := range []string{"desk_login", "receipt", "upload"} {
		Throttled.WithLabelValues(k)
	}
	for _, src := range []string{"un", "ofac", "un-vessels"} {
		for _, o := range []string{"ok", "failed"} {
			ListRefreshes.WithLabelValues(src, o)
		}
	}
	for _, o := range []string{"sent", "failed"} {
		NotificationsSent.WithLabelValues(o)
	}
}
