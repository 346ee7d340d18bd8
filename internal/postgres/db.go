// Package postgres stores the question bank and graded attempts in PostgreSQL with pgvector.
package postgres

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"regexp"
	"sync"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jackc/tern/v2/migrate"
	pgxvec "github.com/pgvector/pgvector-go/pgx"

	"github.com/interviewcoach/coach/internal/coach"
	"github.com/interviewcoach/coach/migrations"
)

// versionTableName is the table where tern records the applied schema version, in the schema the
// store uses (see versionTable).
const versionTableName = "schema_version"

// plainIdent is a schema name that needs no quoting.
var plainIdent = regexp.MustCompile(`^[a-z_][a-z0-9_]*$`)

// versionTable names the version table qualified by the current schema (the first of search_path
// that exists), where the migrations create their tables. Unqualified, a schema_version of a schema
// later in search_path (public, say) would pass for this schema's, and migrations would be skipped.
func (db *DB) versionTable(ctx context.Context) (string, error) {
	var schema *string
	if err := db.queryRow(ctx, `SELECT current_schema()`).Scan(&schema); err != nil {
		return "", fmt.Errorf("postgres: current schema: %w", err)
	}
	if schema == nil {
		return "", coach.Errorf(coach.EINVALID, "DATABASE_URL: no schema of its search_path exists")
	}
	if !plainIdent.MatchString(*schema) {
		return "", coach.Errorf(coach.EINVALID, "DATABASE_URL: schema %q needs quoting; use lower-case letters, digits and _", *schema)
	}
	return *schema + "." + versionTableName, nil
}

// DB is the PostgreSQL store.
type DB struct {
	pool   *pgxpool.Pool
	logger *slog.Logger
	counts vectorCounts
	// sessions holds the vector search settings each connection's session has (*pgx.Conn to
	// searchSettings), so that a search sets them only when they change.
	sessions sync.Map
	// tx, when set, is the transaction this DB's queries run in (see InTx).
	tx pgx.Tx
}

// runner is what the store's queries run on: the pool, or the transaction of InTx.
func (db *DB) runner() interface {
	Begin(ctx context.Context) (pgx.Tx, error)
	Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error)
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
	SendBatch(ctx context.Context, b *pgx.Batch) pgx.BatchResults
} {
	if db.tx != nil {
		return db.tx
	}
	return db.pool
}

// InTx runs fn with a DB whose every query runs in one transaction, committed when fn returns nil
// and rolled back otherwise; the store's own transactions become savepoints in it. An import uses it
// to store a whole file or nothing.
func (db *DB) InTx(ctx context.Context, fn func(tx *DB) error) error {
	return mapError(pgx.BeginFunc(ctx, db.runner(), func(tx pgx.Tx) error {
		return fn(&DB{pool: db.pool, logger: db.logger, tx: tx})
	}))
}

// Option changes how Open connects.
type Option func(*pgxpool.Config)

// WithTracer has every query the store sends reported to t (tests count round trips with it).
func WithTracer(t pgx.QueryTracer) Option {
	return func(cfg *pgxpool.Config) { cfg.ConnConfig.Tracer = t }
}

// Open connects to the database at url. It does not migrate; see Migrate and SchemaStatus.
func Open(ctx context.Context, url string, logger *slog.Logger, opts ...Option) (*DB, error) {
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		return nil, coach.Errorf(coach.EINVALID, "DATABASE_URL: %v", err)
	}
	for _, o := range opts {
		o(cfg)
	}
	if cfg.ConnConfig.ConnectTimeout == 0 {
		cfg.ConnConfig.ConnectTimeout = DefaultConnectTimeout
	}
	cfg.AfterConnect = func(ctx context.Context, conn *pgx.Conn) error {
		// The vector type exists only once the extension is created, which the first migration does;
		// a connection made before that simply has no vector codec, and nothing needs one yet.
		if err := pgxvec.RegisterTypes(ctx, conn); err != nil && !isUndefinedVector(err) {
			return fmt.Errorf("register vector type: %w", err)
		}
		return nil
	}
	db := &DB{logger: logger}
	cfg.BeforeClose = func(conn *pgx.Conn) { db.sessions.Delete(conn) }
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("postgres: open: %w", err)
	}
	if db.logger == nil {
		db.logger = slog.New(slog.DiscardHandler)
	}
	db.pool = pool
	return db, nil
}

func isUndefinedVector(err error) bool {
	var pgErr *pgconn.PgError
	return errors.As(err, &pgErr) && pgErr.Code == "42704" // undefined_object
}

// Close closes every connection of the pool.
func (db *DB) Close() { db.pool.Close() }

// Ping checks that the database answers.
func (db *DB) Ping(ctx context.Context) error {
	if err := db.pool.Ping(ctx); err != nil {
		return coach.Errorf(coach.EUNAVAILABLE, "database unreachable: %v", err)
	}
	return nil
}

// Migrate applies every pending migration, each in its own transaction, and returns the versions
// before and after.
func (db *DB) Migrate(ctx context.Context) (from, to int32, err error) {
	conn, err := db.pool.Acquire(ctx)
	if err != nil {
		return 0, 0, fmt.Errorf("postgres: migrate: %w", err)
	}
	defer conn.Release()
	versionTable, err := db.versionTable(ctx)
	if err != nil {
		return 0, 0, err
	}
	m, err := migrate.NewMigrator(ctx, conn.Conn(), versionTable)
	if err != nil {
		return 0, 0, fmt.Errorf("postgres: migrate: %w", err)
	}
	if err := m.LoadMigrations(migrations.FS); err != nil {
		return 0, 0, fmt.Errorf("postgres: load migrations: %w", err)
	}
	if from, err = m.GetCurrentVersion(ctx); err != nil {
		return 0, 0, fmt.Errorf("postgres: migrate: %w", err)
	}
	m.OnStart = func(seq int32, name, direction, _ string) {
		db.logger.Info("applying migration", "version", seq, "name", name, "direction", direction)
	}
	if err := m.Migrate(ctx); err != nil {
		return from, 0, fmt.Errorf("postgres: migrate: %w", err)
	}
	// The vector type may have just been created: connections made before it lack the codec.
	db.pool.Reset()
	return from, int32(len(m.Migrations)), nil
}

// LatestVersion is the schema version this binary's migrations lead to.
func LatestVersion() (int32, error) {
	names, err := migrate.FindMigrations(migrations.FS)
	if err != nil {
		return 0, fmt.Errorf("postgres: find migrations: %w", err)
	}
	return int32(len(names)), nil
}

// SchemaStatus returns the database's schema version and the latest one this binary knows. It never
// writes, so it is safe for readiness checks.
func (db *DB) SchemaStatus(ctx context.Context) (current, latest int32, err error) {
	if latest, err = LatestVersion(); err != nil {
		return 0, 0, err
	}
	versionTable, err := db.versionTable(ctx)
	if err != nil {
		return 0, latest, err
	}
	var exists bool
	if err := db.queryRow(ctx, `SELECT to_regclass($1) IS NOT NULL`, versionTable).Scan(&exists); err != nil {
		return 0, latest, err
	}
	if !exists {
		return 0, latest, nil
	}
	if err := db.queryRow(ctx, `SELECT version FROM `+versionTable).Scan(&current); err != nil {
		return 0, latest, fmt.Errorf("postgres: schema version: %w", err)
	}
	return current, latest, nil
}

// CheckSchema returns an EUNAVAILABLE error unless the schema is exactly the one this binary expects.
func (db *DB) CheckSchema(ctx context.Context) error {
	current, latest, err := db.SchemaStatus(ctx)
	if err != nil {
		return err
	}
	switch {
	case current < latest:
		return coach.Errorf(coach.EUNAVAILABLE, "database schema is at version %d, this build needs %d: run `coach migrate`", current, latest)
	case current > latest:
		return coach.Errorf(coach.EUNAVAILABLE, "database schema is at version %d, newer than this build's %d: upgrade coach", current, latest)
	}
	return nil
}

// PoolStat reports the pool's figures, for metrics and logs.
func (db *DB) PoolStat() *pgxpool.Stat { return db.pool.Stat() }

// inTx runs fn in a transaction, committing when it returns nil.
func (db *DB) inTx(ctx context.Context, fn func(pgx.Tx) error) error {
	return mapError(pgx.BeginFunc(ctx, db.runner(), fn))
}

// notFound turns pgx.ErrNoRows into the domain's not-found error.
func notFound(err error, format string, args ...any) error {
	if errors.Is(err, pgx.ErrNoRows) {
		return coach.Errorf(coach.ENOTFOUND, format, args...)
	}
	return err
}
