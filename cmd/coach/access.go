package main

import (
	"github.com/interviewcoach/coach/internal/access"
	"github.com/interviewcoach/coach/internal/api"
	"github.com/interviewcoach/coach/internal/coach"
	"github.com/interviewcoach/coach/internal/ingest"
	"github.com/interviewcoach/coach/internal/postgres"
)

// withAccess gives srv its API keys, its admin routes and the configured limits.
func withAccess(e *env, srv *api.Server, db *postgres.DB, embedder coach.Embedder) error {
	im, err := newImporter(e, db, embedder)
	if err != nil {
		return err
	}
	srv.Keys = &access.Service{Store: db, AdminKey: e.cfg.AdminKey}
	admin := &ingest.Admin{Importer: im, Store: db}
	admin.Jobs = &ingest.Jobs{Admin: admin, Store: ingest.NewJobStore(db), Logger: e.logger}
	srv.Admin = admin
	srv.Editor = &ingest.Editor{Store: db, Embedder: embedder}
	srv.ClosedPractice = !e.cfg.OpenPractice
	srv.Limits = api.Limits{
		RateLimit:   e.cfg.RateLimit.PerSecond(),
		RateBurst:   e.cfg.RateBurst,
		SearchRate:  e.cfg.SearchRateLimit.PerSecond(),
		SessionRate: e.cfg.SessionRateLimit.PerSecond(),
		// Every instance on the database counts against the same buckets.
		RateStore:      db,
		RequestTimeout: e.cfg.RequestTimeout,
		GradeTimeout:   e.cfg.GradeTimeout,
		MaxImportBytes: e.cfg.MaxImportBytes,
		CORSOrigins:    e.cfg.CORSOrigins,
		TrustedProxies: e.cfg.TrustedProxies,
	}
	if e.cfg.AdminKey != "" {
		e.logger.Info("the bootstrap admin key of COACH_ADMIN_KEY is valid")
	}
	if !e.cfg.OpenPractice {
		e.logger.Info("practice is closed: the bank, search, sessions and grading need an API key")
	}
	return nil
}
