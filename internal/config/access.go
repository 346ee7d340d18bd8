package config

import (
	"errors"
	"fmt"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode"
)

// MinAdminKeyLength is the shortest COACH_ADMIN_KEY accepted.
const MinAdminKeyLength = 16

// RateLimit is a number of requests per period; the zero value means no limit.
type RateLimit struct {
	Requests int
	Per      time.Duration
}

// Off reports whether there is no limit.
func (r RateLimit) Off() bool { return r.Requests == 0 }

// PerSecond is the limit as a rate in requests per second.
func (r RateLimit) PerSecond() float64 {
	if r.Off() {
		return 0
	}
	return float64(r.Requests) / r.Per.Seconds()
}

// String writes the limit as it is configured, e.g. "30/min".
func (r RateLimit) String() string {
	if r.Off() {
		return "off"
	}
	unit := map[time.Duration]string{time.Second: "s", time.Minute: "min", time.Hour: "h"}[r.Per]
	return fmt.Sprintf("%d/%s", r.Requests, unit)
}

// ParseRateLimit reads "N/s", "N/min" or "N/h" (also "sec", "second", "m", "minute", "hour"), or
// "off".
func ParseRateLimit(s string) (RateLimit, error) {
	if s == "off" {
		return RateLimit{}, nil
	}
	count, unit, ok := strings.Cut(s, "/")
	n, err := strconv.Atoi(count)
	per, known := map[string]time.Duration{
		"s": time.Second, "sec": time.Second, "second": time.Second,
		"m": time.Minute, "min": time.Minute, "minute": time.Minute,
		"h": time.Hour, "hour": time.Hour,
	}[unit]
	if !ok || err != nil || !known || n < 1 || n > 1_000_000 {
		return RateLimit{}, fmt.Errorf("%q is not a rate such as 30/min, 2/s or 500/h, or off", s)
	}
	return RateLimit{Requests: n, Per: per}, nil
}

// loadAccess reads the settings of access control and request limits into c.
func loadAccess(c *Config, get func(string) string, check func(string, error), intIn func(string, int, int) int) {
	c.AdminKey = get("COACH_ADMIN_KEY")
	if c.AdminKey != "" && (len(c.AdminKey) < MinAdminKeyLength || strings.IndexFunc(c.AdminKey, unicode.IsSpace) >= 0) {
		check("COACH_ADMIN_KEY", fmt.Errorf("must be at least %d characters without spaces (try `openssl rand -hex 32`)", MinAdminKeyLength))
	}
	if open, err := strconv.ParseBool(get("COACH_OPEN_PRACTICE")); err != nil {
		check("COACH_OPEN_PRACTICE", fmt.Errorf("%q is not true or false", get("COACH_OPEN_PRACTICE")))
	} else {
		c.OpenPractice = open
	}
	c.MaxImportBytes = int64(intIn("COACH_MAX_IMPORT_BYTES", 1024, 1<<30))
	rateLimit := func(name string, into *RateLimit) {
		if r, err := ParseRateLimit(get(name)); err != nil {
			check(name, err)
		} else {
			*into = r
		}
	}
	rateLimit("COACH_RATE_LIMIT", &c.RateLimit)
	rateLimit("COACH_SEARCH_RATE_LIMIT", &c.SearchRateLimit)
	rateLimit("COACH_SESSION_RATE_LIMIT", &c.SessionRateLimit)
	c.RateBurst = intIn("COACH_RATE_BURST", 1, 10000)
	duration := func(name string, lo, hi time.Duration) time.Duration {
		d, err := time.ParseDuration(get(name))
		if err != nil || d < lo || d > hi {
			check(name, fmt.Errorf("%q is not a duration from %s to %s, such as 30s or 2m", get(name), lo, hi))
		}
		return d
	}
	c.RequestTimeout = duration("COACH_REQUEST_TIMEOUT", time.Second, 10*time.Minute)
	if get("COACH_GRADE_TIMEOUT") == "" {
		// Grading by a language model may send a timed-out call once more, then ask for a repair.
		c.GradeTimeout = 2 * time.Minute
		if c.UseLLM() {
			c.GradeTimeout = 2*c.LLMTimeout + time.Minute
		}
	} else {
		c.GradeTimeout = duration("COACH_GRADE_TIMEOUT", time.Second, time.Hour)
	}
	c.CORSOrigins = nil
	for _, origin := range list(get("COACH_CORS_ORIGINS")) {
		u, err := url.Parse(origin)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.User != nil ||
			(u.Path != "" && u.Path != "/") || u.RawQuery != "" || u.Fragment != "" {
			check("COACH_CORS_ORIGINS", fmt.Errorf("%q is not an origin such as https://example.org or http://localhost:3000", origin))
			continue
		}
		c.CORSOrigins = append(c.CORSOrigins, u.Scheme+"://"+u.Host)
	}
	c.TrustedProxies = nil
	for _, p := range list(get("COACH_TRUSTED_PROXIES")) {
		prefix, err := netip.ParsePrefix(p)
		if err != nil {
			addr, aerr := netip.ParseAddr(p)
			if aerr != nil {
				check("COACH_TRUSTED_PROXIES", errors.New(p+" is not an IP address or CIDR such as 10.0.0.0/8"))
				continue
			}
			prefix = netip.PrefixFrom(addr, addr.BitLen())
		}
		c.TrustedProxies = append(c.TrustedProxies, prefix.Masked().String())
	}
}

// list splits a comma-separated setting, dropping empty items.
func list(s string) []string {
	var out []string
	for _, item := range strings.Split(s, ",") {
		if item = strings.TrimSpace(item); item != "" {
			out = append(out, item)
		}
	}
	return out
}
