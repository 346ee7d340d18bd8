package offline

import "testing"

// TestFocus checks what follow-up questions name as a key point's subject.
func TestFocus(t *testing.T) {
	t.Parallel()
	tests := []struct{ keyPoint, want string }{
		{"select_related uses a SQL JOIN and works for ForeignKey and OneToOneField relations.", "select_related"},
		{"A Prefetch object lets you customise the queryset or attribute used for prefetched rows.", "a Prefetch object"},
		// A name spelled like a verb is still the subject.
		{"The CACHES setting defines named caches, with default used by most caching APIs.", "the CACHES setting"},
		{"DummyCache implements the cache interface without storing anything.", "DummyCache"},
		// An adverb is no part of the subject, and "Django" alone says nothing worth asking: no
		// subject, rather than a list of terms.
		{"Django also checks Origin, and Referer on HTTPS, against the host and CSRF_TRUSTED_ORIGINS entries.", ""},
		// The list of verbs lacks "records", but a word in -s before a determiner is a verb.
		{"CaptureQueriesContext records every executed query so tests can make custom assertions.", "CaptureQueriesContext"},
		// No noun phrase to name: a subject ending in a participle, or in a comma-separated list.
		{"Annotating across two multi-valued joins can inflate counts.", ""},
		{"Iteration, len(), list(), bool() and repr() force the QuerySet to be evaluated.", ""},
		// "Set" opens a noun phrase here, not an instruction; the subject runs to "avoid", which the
		// verb list lacks, so there is none to name.
		{"Set-based UPDATE statements with F() expressions avoid per-row Python work entirely.", ""},
		{"A decorator with arguments uses an outer factory function.", "a decorator with arguments"},
	}
	for _, tt := range tests {
		if got := focus(tt.keyPoint); got != tt.want {
			t.Errorf("focus(%q) = %q, want %q", tt.keyPoint, got, tt.want)
		}
	}
}
