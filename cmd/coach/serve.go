package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/interviewcoach/coach/internal/api"
	"github.com/interviewcoach/coach/internal/ingest"
	"github.com/interviewcoach/coach/internal/practice"
	"github.com/interviewcoach/coach/internal/retrieve"
	"github.com/interviewcoach/coach/web"
)

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
	e.metrics = newMetrics(db)
	defer func() {
		if e.model != nil {
			e.model.CloseIdleConnections()
		}
	}()
	embedder, err := newEmbedder(ctx, e)
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
		Searcher:     &retrieve.Retriever{Store: db, Embedder: embedder, Observer: e.metrics},
		Grading:      grading,
		Practice:     &practice.Service{Store: db},
		Logger:       e.logger,
		UI:           web.FS(),
		MaxBodyBytes: e.cfg.MaxBodyBytes,
		Observer:     e.metrics,
		Metrics:      e.metrics.Handler(),
	}
	if err := withAccess(e, srv, db, embedder); err != nil {
		return err
	}
	jobsDone := make(chan struct{})
	if admin, ok := srv.Admin.(*ingest.Admin); ok && admin.Jobs != nil {
		// Import jobs stop with ctx; one cut half way resumes when claimed again (here after a
		// restart, or by another instance). A bulk load stopped so still builds its index, which
		// needs the database: run waits for the worker before the pool is closed.
		go func() {
			defer close(jobsDone)
			admin.Jobs.Run(ctx)
		}()
	} else {
		close(jobsDone)
	}
	ln, err := net.Listen("tcp", e.cfg.Addr)
	if err != nil {
		return fmt.Errorf("listen on COACH_ADDR %s: %w", e.cfg.Addr, err)
	}
	// Requests run in a context of their own, not ctx: the end of ctx starts a graceful shutdown, in
	// which requests in flight finish; requests are cancelled only once the grace has run out.
	requestCtx, cancelRequests := context.WithCancel(context.WithoutCancel(ctx))
	defer cancelRequests()
	httpServer := &http.Server{
		Handler:           srv.Handler(),
		BaseContext:       func(net.Listener) context.Context { return requestCtx },
		ErrorLog:          slog.NewLogLogger(e.logger.Handler(), slog.LevelWarn),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		// Grading by a slow model can take a while: the grading limit, and time to write the answer.
		WriteTimeout: max(5*time.Minute, e.cfg.GradeTimeout+time.Minute),
		IdleTimeout:  2 * time.Minute,
	}
	e.logger.Info("serving", "addr", ln.Addr().String(), "embedder", embedder.Model(), "grader", grading.Kind())
	errc := make(chan error, 1)
	go func() { errc <- httpServer.Serve(ln) }()
	select {
	case err := <-errc:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	err = shutdown(e, httpServer, cancelRequests)
	select {
	case <-jobsDone:
	default:
		e.logger.Info("waiting for the import job worker to stop")
		<-jobsDone
	}
	return err
}

// cancelledWriteGrace is how long requests cancelled at the end of the shutdown grace have to write
// their answer.
const cancelledWriteGrace = 2 * time.Second

// shutdown stops httpServer gracefully: it stops accepting connections at once, lets the requests in
// flight (gradings waiting on a slow model) finish for up to COACH_SHUTDOWN_GRACE, then cancels those
// still running and closes their connections. A cancelled grading stores nothing: an attempt is
// stored by one INSERT, after grading, or not at all. The caller closes the database pool after.
func shutdown(e *env, httpServer *http.Server, cancelRequests context.CancelFunc) error {
	grace := e.cfg.ShutdownGrace
	e.logger.Info("shutting down: no new connections; waiting for requests in flight", "grace", grace)
	ctx, cancel := context.WithTimeout(context.Background(), grace)
	defer cancel()
	err := httpServer.Shutdown(ctx)
	if err == nil {
		e.logger.Info("shut down")
		return nil
	}
	cancelRequests()
	// The cancelled requests answer 503 (see api's handleError); give them a moment to be written
	// before the connections close, rather than drop them.
	written, cancelWritten := context.WithTimeout(context.Background(), cancelledWriteGrace)
	_ = httpServer.Shutdown(written)
	cancelWritten()
	_ = httpServer.Close()
	if errors.Is(err, context.DeadlineExceeded) {
		e.logger.Warn("requests still in flight after the shutdown grace were cancelled", "grace", grace)
		return fmt.Errorf("shutdown: requests still in flight after COACH_SHUTDOWN_GRACE (%s) were cancelled", grace)
	}
	return fmt.Errorf("shutdown: %w", err)
}
