package postgres

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/interviewcoach/coach/internal/coach"
)

// DefaultConnectTimeout bounds opening one connection when DATABASE_URL sets no connect_timeout, so
// that requests fail in seconds, not minutes, while the database cannot be reached.
const DefaultConnectTimeout = 5 * time.Second

// errUnavailable is what users see while the database cannot be reached. The cause stays in the
// chain for the logs.
var errUnavailable = coach.Errorf(coach.EUNAVAILABLE, "the database is unavailable; try again shortly")

// errNUL is what users see for text PostgreSQL cannot store.
var errNUL = coach.Errorf(coach.EINVALID, "text must not contain NUL characters")

// mapError puts a coded error in front of err's chain when the database's failure is one users
// should hear about: EUNAVAILABLE when the database could not be reached or dropped the connection
// (callers may retry), EINVALID for text with a NUL character, which PostgreSQL refuses. Other
// errors, nil included, and errors that already carry a code are returned as they are.
func mapError(err error) error {
	var pgErr *pgconn.PgError
	switch {
	case err == nil || coach.ErrorCode(err) != coach.EINTERNAL:
		return err
	case unreachable(err):
		return fmt.Errorf("%w: %w", errUnavailable, err)
	case errors.As(err, &pgErr) && pgErr.Code == "22021": // character_not_in_repertoire: a NUL byte
		return fmt.Errorf("%w: %w", errNUL, err)
	}
	return err
}

// unreachable reports whether err means that the database could not be reached or answered that it
// cannot serve now.
func unreachable(err error) bool {
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		// Class 08 is connection exceptions; 57P01-57P03 a server shutting down or starting up;
		// 53300 too many connections.
		return strings.HasPrefix(pgErr.Code, "08") || pgErr.Code == "57P01" || pgErr.Code == "57P02" ||
			pgErr.Code == "57P03" || pgErr.Code == "53300"
	}
	if errors.Is(err, context.Canceled) {
		return false // the caller gave up; the database may be fine
	}
	var connectErr *pgconn.ConnectError
	var netErr net.Error
	return errors.As(err, &connectErr) || errors.As(err, &netErr) || errors.Is(err, pgconn.ErrConnClosed) ||
		errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) || pgconn.Timeout(err) ||
		// A deadline that ran out waiting for a connection or an answer.
		errors.Is(err, context.DeadlineExceeded)
}

// query, queryRow and exec are the pool's methods with their errors mapped (see mapError); the store
// uses them rather than the pool's, and inTx for transactions.
func (db *DB) query(ctx context.Context, sql string, args ...any) (pgx.Rows, error) {
	rows, err := db.runner().Query(ctx, sql, args...)
	if err != nil {
		return nil, mapError(err)
	}
	return mappedRows{rows}, nil
}

func (db *DB) queryRow(ctx context.Context, sql string, args ...any) pgx.Row {
	return mappedRow{db.runner().QueryRow(ctx, sql, args...)}
}

func (db *DB) exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error) {
	tag, err := db.runner().Exec(ctx, sql, args...)
	return tag, mapError(err)
}

// mappedRows is pgx.Rows whose error, which a connection lost half way reports, is mapped.
type mappedRows struct {
	pgx.Rows
}

func (r mappedRows) Err() error { return mapError(r.Rows.Err()) }

// mappedRow is pgx.Row whose Scan error is mapped; pgx.ErrNoRows stays as it is.
type mappedRow struct {
	row pgx.Row
}

func (r mappedRow) Scan(dest ...any) error { return mapError(r.row.Scan(dest...)) }
