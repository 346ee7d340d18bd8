package api

import (
	"context"
	"fmt"
	"math"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"
	"golang.org/x/time/rate"

	"github.com/interviewcoach/coach/internal/coach"
)

// Limits are the server's request limits and browser protections. The zero value limits no rate and
// no time, and allows no cross-origin calls.
type Limits struct {
	// RateLimit is how many grading and follow-up requests per second each API key, or each client
	// address without one, may make; RateBurst how many may come at once. 0: no limit.
	RateLimit float64
	RateBurst int
	// SearchRate limits searches and question lists (SearchBurst at once), SessionRate the sessions
	// started (SessionBurst at once), per key or address in the same way. 0: no limit.
	SearchRate  float64
	SessionRate float64
	// RateStore keeps the buckets of every limit; nil: each instance counts on its own.
	RateStore RateStore
	// RequestTimeout bounds API requests, GradeTimeout those that grade, import or reindex; 0: none.
	RequestTimeout time.Duration
	GradeTimeout   time.Duration
	// MaxImportBytes limits uploads to POST /api/v1/bank/import (DefaultMaxImportBytes when 0); the
	// general body limit does not apply to them.
	MaxImportBytes int64
	// CORSOrigins are the origins whose pages may call the API; none: cross-origin calls are refused.
	CORSOrigins []string
	// TrustedProxies are the addresses (CIDR) of reverse proxies whose X-Forwarded-For header names
	// the client; without any the client is the peer address, which clients cannot forge.
	TrustedProxies []string
}

// ContentSecurityPolicy allows the web UI what it uses, its own scripts, styles and API, and
// nothing else: no inline code, no framing, no foreign origins.
const ContentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
	"connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"

// protections are the middleware every response passes through: security headers and, when origins
// are allowed, CORS on the API.
func (s *Server) protections() []echo.MiddlewareFunc {
	m := []echo.MiddlewareFunc{middleware.SecureWithConfig(middleware.SecureConfig{
		ContentTypeNosniff:    "nosniff",
		XFrameOptions:         "DENY",
		ContentSecurityPolicy: ContentSecurityPolicy,
		ReferrerPolicy:        "no-referrer",
	})}
	if len(s.Limits.CORSOrigins) > 0 {
		m = append(m, middleware.CORSWithConfig(middleware.CORSConfig{
			Skipper:      func(c echo.Context) bool { return !strings.HasPrefix(c.Request().URL.Path, "/api/") },
			AllowOrigins: s.Limits.CORSOrigins,
			AllowMethods: []string{http.MethodGet, http.MethodHead, http.MethodPost, http.MethodDelete},
			AllowHeaders: []string{echo.HeaderAuthorization, echo.HeaderContentType, TokenHeader, echo.HeaderXRequestID},
			ExposeHeaders: []string{echo.HeaderRetryAfter, echo.HeaderContentDisposition, echo.HeaderXRequestID,
				echo.HeaderWWWAuthenticate},
			MaxAge: 600,
		}))
	}
	return m
}

// ipExtractor says where a request comes from, for rate limits: the peer address, or the address
// trusted proxies put in X-Forwarded-For.
func (s *Server) ipExtractor() echo.IPExtractor {
	if len(s.Limits.TrustedProxies) == 0 {
		return echo.ExtractIPDirect()
	}
	opts := []echo.TrustOption{echo.TrustLoopback(false), echo.TrustLinkLocal(false), echo.TrustPrivateNet(false)}
	for _, p := range s.Limits.TrustedProxies {
		if _, network, err := net.ParseCIDR(p); err == nil {
			opts = append(opts, echo.TrustIPRange(network))
		}
	}
	return echo.ExtractIPFromXFFHeader(opts...)
}

// hasOwnBodyLimit reports whether the request's route limits its body itself, so that the general
// body limit must let it through.
func hasOwnBodyLimit(c echo.Context) bool {
	return c.Path() == "/api/v1/bank/import"
}

// pass is middleware that does nothing, for limits that are off.
func pass(next echo.HandlerFunc) echo.HandlerFunc { return next }

// timeout is route middleware that gives the request d to finish: past it, the request's context is
// done, and an error the handler returns because of it is answered 503 saying so.
func (s *Server) timeout(d time.Duration) echo.MiddlewareFunc {
	if d <= 0 {
		return pass
	}
	return middleware.ContextTimeoutWithConfig(middleware.ContextTimeoutConfig{
		Timeout: d,
		ErrorHandler: func(err error, c echo.Context) error {
			// Whatever failed once the deadline passed (a database call reports itself unavailable)
			// failed because of the deadline: say so, and what to do.
			if code := coach.ErrorCode(err); c.Request().Context().Err() == context.DeadlineExceeded &&
				(code == coach.EINTERNAL || code == coach.EUNAVAILABLE) {
				return fmt.Errorf("%w: %w", coach.Errorf(coach.EUNAVAILABLE,
					"the request took longer than %s and was stopped; try again, or ask for less at once", d), err)
			}
			return err
		},
	})
}

// RateStore keeps the token buckets of the rate limits. The PostgreSQL store shares them between
// every instance on one database, so that a documented rate holds for a cluster.
type RateStore interface {
	// TakeToken takes a token from bucket key, which refills at perSecond up to burst, and reports
	// whether there was one.
	TakeToken(ctx context.Context, key string, perSecond float64, burst int) (bool, error)
}

// Burst sizes of the limits of reading (search, question lists) and of starting sessions.
const (
	SearchBurst  = 60
	SessionBurst = 30
)

// rateLimit is route middleware that limits each API key, or each client address without one, to
// Limits.RateLimit grading requests per second over every route it is given to; past it, 429 with
// Retry-After. One limiter serves all those routes, so grading cannot be spread over them to get more.
func (s *Server) rateLimit() echo.MiddlewareFunc {
	return s.limit("grade", "grading requests", s.Limits.RateLimit, s.Limits.RateBurst)
}

// limit is route middleware that allows each API key, or each client address without one,
// perSecond requests of bucket (burst at once) over the routes it is given to; past it, 429 with
// Retry-After naming the limit. The buckets are Limits.RateStore's, or this instance's own.
func (s *Server) limit(bucket, what string, perSecond float64, burst int) echo.MiddlewareFunc {
	if perSecond <= 0 {
		return pass
	}
	burst = max(1, burst)
	take := s.Limits.RateStore
	if take == nil {
		take = newMemoryRates(perSecond, burst)
	}
	// When refused, a request may be made again once one token has come back.
	retryAfter := strconv.Itoa(int(math.Ceil(1 / perSecond)))
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			who := "ip:" + c.RealIP()
			if p := principal(c); p != nil {
				who = "key:" + p.KeyID
			}
			ok, err := take.TakeToken(c.Request().Context(), bucket+":"+who, perSecond, burst)
			if err != nil {
				// A store that cannot count is a database that cannot serve the request either: let
				// the request say so rather than refuse it as too many.
				s.Logger.WarnContext(c.Request().Context(), "rate limit unavailable", "bucket", bucket, "error", err)
				ok = true
			}
			if !ok {
				c.Response().Header().Set(echo.HeaderRetryAfter, retryAfter)
				return coach.Errorf(coach.ERATELIMITED, "too many %s: the limit is %s; try again in %s s",
					what, describeRate(perSecond), retryAfter)
			}
			return next(c)
		}
	}
}

// memoryRates are token buckets of one instance, for servers without a shared store.
type memoryRates struct {
	store *middleware.RateLimiterMemoryStore
}

func newMemoryRates(perSecond float64, burst int) memoryRates {
	// A visitor is forgotten only once its bucket would have refilled anyway, so that forgetting
	// never grants more than the limit.
	refill := time.Duration(float64(burst) / perSecond * float64(time.Second))
	return memoryRates{middleware.NewRateLimiterMemoryStoreWithConfig(middleware.RateLimiterMemoryStoreConfig{
		Rate: rate.Limit(perSecond), Burst: burst, ExpiresIn: max(3*time.Minute, refill),
	})}
}

// TakeToken implements RateStore for the one rate the store was made with.
func (m memoryRates) TakeToken(_ context.Context, key string, _ float64, _ int) (bool, error) {
	return m.store.Allow(key)
}

// describeRate writes a rate in the largest unit that keeps it at least one: "2 per second", "30
// per minute", "500 per hour".
func describeRate(perSecond float64) string {
	for _, u := range []struct {
		name    string
		seconds float64
	}{{"second", 1}, {"minute", 60}, {"hour", 3600}} {
		if n := perSecond * u.seconds; n >= 1 {
			return fmt.Sprintf("%g per %s", math.Round(n*100)/100, u.name)
		}
	}
	return fmt.Sprintf("%g per hour", perSecond*3600)
}
