package config

import (
	"strings"
	"testing"
	"time"
)

func TestAccessDefaults(t *testing.T) {
	t.Parallel()
	c, err := Load(env(map[string]string{"COACH_ENV_FILE": "/no/such/file"}))
	if err != nil {
		t.Fatal(err)
	}
	if c.AdminKey != "" || !c.OpenPractice || c.MaxImportBytes != 10<<20 || c.RateLimit.String() != "30/min" ||
		c.RateLimit.PerSecond() != 0.5 || c.RateBurst != 10 || c.RequestTimeout != 30*time.Second ||
		c.GradeTimeout != 2*time.Minute || c.CORSOrigins != nil || c.TrustedProxies != nil {
		t.Errorf("unexpected defaults: %+v", c)
	}
}

func TestAccessSettings(t *testing.T) {
	t.Parallel()
	c, err := Load(env(map[string]string{
		"COACH_ENV_FILE":        "/no/such/file",
		"COACH_ADMIN_KEY":       "0123456789abcdef",
		"COACH_OPEN_PRACTICE":   "false",
		"COACH_RATE_LIMIT":      "2/s",
		"COACH_CORS_ORIGINS":    "https://app.example.org/, http://localhost:3000",
		"COACH_TRUSTED_PROXIES": "10.0.0.0/8, 192.168.1.7, ::1",
	}))
	if err != nil {
		t.Fatal(err)
	}
	if c.AdminKey != "0123456789abcdef" || c.OpenPractice || c.RateLimit.PerSecond() != 2 ||
		strings.Join(c.CORSOrigins, " ") != "https://app.example.org http://localhost:3000" ||
		strings.Join(c.TrustedProxies, " ") != "10.0.0.0/8 192.168.1.7/32 ::1/128" {
		t.Errorf("settings: %+v", c)
	}
	c, err = Load(env(map[string]string{"COACH_ENV_FILE": "/no/such/file", "COACH_RATE_LIMIT": "off"}))
	if err != nil || !c.RateLimit.Off() || c.RateLimit.PerSecond() != 0 {
		t.Errorf("off: %+v %v", c.RateLimit, err)
	}
}

func TestParseRateLimit(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		in        string
		perSecond float64
		ok        bool
	}{
		{"30/min", 0.5, true}, {"30/m", 0.5, true}, {"2/s", 2, true}, {"3600/hour", 1, true}, {"off", 0, true},
		{"30", 0, false}, {"0/min", 0, false}, {"-1/s", 0, false}, {"30/day", 0, false}, {"x/min", 0, false}, {"", 0, false},
	} {
		r, err := ParseRateLimit(tt.in)
		if (err == nil) != tt.ok || r.PerSecond() != tt.perSecond {
			t.Errorf("ParseRateLimit(%q) = %v (%v/s), %v", tt.in, r, r.PerSecond(), err)
		}
	}
}

func TestAccessInvalid(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		vars map[string]string
		want string
	}{
		{map[string]string{"COACH_ADMIN_KEY": "short"}, "COACH_ADMIN_KEY"},
		{map[string]string{"COACH_ADMIN_KEY": "sixteen chars with spaces"}, "COACH_ADMIN_KEY"},
		{map[string]string{"COACH_OPEN_PRACTICE": "maybe"}, "COACH_OPEN_PRACTICE"},
		{map[string]string{"COACH_MAX_IMPORT_BYTES": "10"}, "COACH_MAX_IMPORT_BYTES"},
		{map[string]string{"COACH_RATE_LIMIT": "lots"}, "COACH_RATE_LIMIT"},
		{map[string]string{"COACH_RATE_BURST": "0"}, "COACH_RATE_BURST"},
		{map[string]string{"COACH_REQUEST_TIMEOUT": "forever"}, "COACH_REQUEST_TIMEOUT"},
		{map[string]string{"COACH_GRADE_TIMEOUT": "2h"}, "COACH_GRADE_TIMEOUT"},
		{map[string]string{"COACH_CORS_ORIGINS": "*"}, "COACH_CORS_ORIGINS"},
		{map[string]string{"COACH_CORS_ORIGINS": "https://app.example.org/path"}, "COACH_CORS_ORIGINS"},
		{map[string]string{"COACH_TRUSTED_PROXIES": "proxy.local"}, "COACH_TRUSTED_PROXIES"},
	} {
		tt.vars["COACH_ENV_FILE"] = "/no/such/file"
		_, err := Load(env(tt.vars))
		if err == nil || !strings.Contains(err.Error(), tt.want) || strings.Contains(err.Error(), "\n") {
			t.Errorf("%v: err %v, want one line naming %s", tt.vars, err, tt.want)
		}
	}
}
