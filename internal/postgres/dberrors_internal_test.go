package postgres

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/interviewcoach/coach/internal/coach"
)

func TestMapError(t *testing.T) {
	t.Parallel()
	tests := []struct {
		err  error
		want string
	}{
		{nil, ""},
		{&net.OpError{Op: "dial", Err: errors.New("connection refused")}, coach.EUNAVAILABLE},
		{fmt.Errorf("read: %w", io.ErrUnexpectedEOF), coach.EUNAVAILABLE},
		{fmt.Errorf("acquire: %w", context.DeadlineExceeded), coach.EUNAVAILABLE},
		{&pgconn.PgError{Code: "57P01"}, coach.EUNAVAILABLE}, // admin shutdown
		{&pgconn.PgError{Code: "08006"}, coach.EUNAVAILABLE}, // connection failure
		{&pgconn.PgError{Code: "53300"}, coach.EUNAVAILABLE}, // too many connections
		{&pgconn.PgError{Code: "23505"}, coach.EINTERNAL},    // unique violation: a bug, not an outage
		{&pgconn.PgError{Code: "22021"}, coach.EINVALID},     // a NUL byte in text
		{context.Canceled, coach.EINTERNAL},
		{pgx.ErrNoRows, coach.EINTERNAL},
		{coach.Errorf(coach.ENOTFOUND, "no"), coach.ENOTFOUND},
	}
	for _, tt := range tests {
		err := mapError(tt.err)
		if got := coach.ErrorCode(err); got != tt.want {
			t.Errorf("mapError(%v) has code %q, want %q", tt.err, got, tt.want)
		}
		if tt.err != nil && !errors.Is(err, tt.err) {
			t.Errorf("mapError(%v) lost its cause", tt.err)
		}
	}
}
