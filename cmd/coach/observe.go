package main

import (
	"github.com/interviewcoach/coach/internal/api"
	"github.com/interviewcoach/coach/internal/grading"
	"github.com/interviewcoach/coach/internal/ingest"
	"github.com/interviewcoach/coach/internal/metrics"
	"github.com/interviewcoach/coach/internal/openai"
	"github.com/interviewcoach/coach/internal/postgres"
	"github.com/interviewcoach/coach/internal/retrieve"
)

// The metrics observe every package that reports.
var (
	_ api.Observer      = (*metrics.Metrics)(nil)
	_ grading.Observer  = (*metrics.Metrics)(nil)
	_ retrieve.Observer = (*metrics.Metrics)(nil)
	_ openai.Observer   = (*metrics.Metrics)(nil)
	_ ingest.Observer   = (*metrics.Metrics)(nil)
)

// newMetrics returns the metrics of a serving process, with the figures of db's connection pool.
func newMetrics(db *postgres.DB) *metrics.Metrics {
	m := metrics.New()
	m.RegisterPool(func() metrics.PoolStats {
		s := db.PoolStat()
		return metrics.PoolStats{
			Acquired: s.AcquiredConns(), Idle: s.IdleConns(), Constructing: s.ConstructingConns(), Max: s.MaxConns(),
			Acquires: s.AcquireCount(), EmptyAcquires: s.EmptyAcquireCount(), CanceledAcquires: s.CanceledAcquireCount(),
			NewConnections: s.NewConnsCount(), AcquireWait: s.AcquireDuration(),
		}
	})
	return m
}

// The observers of e's metrics, or nil (not a nil pointer in an interface) when the command keeps
// none: only serve does.

func (e *env) modelObserver() openai.Observer {
	if e.metrics == nil {
		return nil
	}
	return e.metrics
}

func (e *env) gradingObserver() grading.Observer {
	if e.metrics == nil {
		return nil
	}
	return e.metrics
}

func (e *env) importObserver() ingest.Observer {
	if e.metrics == nil {
		return nil
	}
	return e.metrics
}
