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
		// An adverb is no part of the subject, and "Django" alone says nothing worth asking.
		{"Django also checks Origin, and Referer on HTTPS, against the host and CSRF_TRUSTED_ORIGINS entries.", "origin, referer and https"},
	}
	for _, tt := range tests {
		if got := focus(tt.keyPoint); got != tt.want {
			t.Errorf("focus(%q) = %q, want %q", tt.keyPoint, got, tt.want)
		}
	}
}
