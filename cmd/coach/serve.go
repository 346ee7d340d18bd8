package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"time"

	"github.com/interviewcoach/coach/internal/api"
	"github.com/interviewcoach/coach/internal/practice"
	"github.com/interviewcoach/coach/internal/retrieve"
	"github.com/interviewcoach/coach/web"
)

// shutdownGrace is how long in-flight requests may take to finish once shutdown starts.
const shutdownGrace = 30 * time.Second

func runServe(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "serve")
	if ok, err := parseFlags(fs, args); !ok {
		return err
	}
	db, err := openReadyDB(ctx, e)
	if err != nil {
		return err
	}
	defer db.Close()
	embedder, err := newEmbedder(e)
	if err != nil {
		return err
	}
	if err := db.EnsureVectorIndex(ctx, embedder.Model(), embedder.Dimensions()); err != nil {
		return err
	}
	if total, embedded, err := db.CountPassages(ctx, embedder.Model()); err != nil {
		return err
	} else if embedded < total {
		e.logger.Warn("some passages have no vector of the configured embedding model; search will miss them until `coach reindex`",
			"model", embedder.Model(), "passages", total, "embedded", embedded)
	}
	grading, err := newGrading(e, db, embedder)
	if err != nil {
		return err
	}

	srv := &api.Server{
		Bank:         db,
		Health:       db,
		Searcher:     &retrieve.Retriever{Store: db, Embedder: embedder},
		Grading:      grading,
		Practice:     &practice.Service{Store: db},
		Logger:       e.logger,
		UI:           web.FS(),
		MaxBodyBytes: e.cfg.MaxBodyBytes,
	}
	ln, err := net.Listen("tcp", e.cfg.Addr)
	if err != nil {
		return fmt.Errorf("listen on COACH_ADDR %s: %w", e.cfg.Addr, err)
	}
	httpServer := &http.Server{
		Handler:           srv.Handler(),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      5 * time.Minute, // grading by a slow model can take a while
		IdleTimeout:       2 * time.Minute,
	}
	e.logger.Info("serving", "addr", ln.Addr().String(), "embedder", embedder.Model(), "grader", grading.Kind())
	errc := make(chan error, 1)
	go func() { errc <- httpServer.Serve(ln) }()
	select {
	case err := <-errc:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	e.logger.Info("shutting down", "grace", shutdownGrace)
	shutdownCtx, cancel := context.WithTimeout(context.Background(), shutdownGrace)
	defer cancel()
	if err := httpServer.Shutdown(shutdownCtx); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("shutdown: %w", err)
	}
	return nil
}
