package grading

import "testing"

// Statements from the Django 4.2 documentation as keypoints.Split gives them.
func TestDocStatement(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in, want string
		ok       bool
	}{
		{"Designating the CSRF cookie as HttpOnly doesn’t offer any practical protection because CSRF is only to protect against cross-domain attacks.",
			"Designating the CSRF cookie as HttpOnly doesn’t offer any practical protection because CSRF is only to protect against cross-domain attacks.", true},
		{"Default: False; Whether to use HttpOnly flag on the CSRF cookie.", "Whether to use HttpOnly flag on the CSRF cookie.", true},
		{"Default: False", "", false},
		{"It has no effect unless SECURE_HSTS_SECONDS is set to a non-zero value. Warning", "It has no effect unless SECURE_HSTS_SECONDS is set to a non-zero value.", true},
		{"If you want to interact with multiple databases, you’ll need to take some additional steps. See also",
			"If you want to interact with multiple databases, you’ll need to take some additional steps.", true},
		{"Creates a B-Tree index.", "Creates a B-Tree index.", true},
		// lead-ins to lists and code
		{"A number of settings can be used to control Django’s CSRF behavior: CSRF_COOKIE_AGE.", "", false},
		{"To use it, add the middleware like this:", "", false},
		{"It’s best explained through examples.", "", false},
		// lists of names and signatures
		{"CSRF_COOKIE_DOMAIN; CSRF_COOKIE_HTTPONLY; CSRF_COOKIE_NAME; CSRF_COOKIE_PATH; CSRF_COOKIE_SAMESITE.", "", false},
		{"Class BTreeIndex(*expressions, fillfactor=None, options)", "", false},
		{"Class Index(*expressions, fields=(), name=None, db_tablespace=None, opclasses=(), condition=None, include=None)", "", false},
		// pointers elsewhere and sentences about the page
		{"See SESSION_COOKIE_HTTPONLY for details on HttpOnly.", "", false},
		{"Read the HTTP Strict Transport Security documentation first.", "", false},
		{"For examples, see the Pagination topic guide.", "", false},
		{"See the docs on the behavior of contrib apps with multiple databases for more information.", "", false},
		{"This topic guide describes Django’s support for interacting with multiple databases.", "", false},
		// a sentence that mentions what follows but states something
		{"The following middleware classes run in order, and each can short-circuit the request by returning a response before the view runs.",
			"The following middleware classes run in order, and each can short-circuit the request by returning a response before the view runs.", true},
	}
	for _, tt := range tests {
		got, ok := docStatement(tt.in)
		if got != tt.want || ok != tt.ok {
			t.Errorf("docStatement(%q) = %q, %v; want %q, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

func TestReleaseNotes(t *testing.T) {
	t.Parallel()
	for title, want := range map[string]bool{
		"Django 1.5 release notes › Backwards incompatible changes in 1.5 › Behavior of syncdb with multiple databases": true,
		"Multiple databases › Automatic database routing › Database routers":                                            false,
		"Release notes":                    true,
		"The messages framework › Release": false,
	} {
		if got := releaseNotes(title); got != want {
			t.Errorf("releaseNotes(%q) = %v, want %v", title, got, want)
		}
	}
}

// TestNamedBy: whether a question names a section's last heading (namedBy), and whether that
// heading is a setting or function, which puts the section first and past the similarity bar
// (namesIdentifier).
func TestNamedBy(t *testing.T) {
	t.Parallel()
	tests := []struct {
		question, title   string
		named, identifier bool
	}{
		{"What does the CSRF_COOKIE_HTTPONLY setting do?", "Settings › Core Settings › CSRF_COOKIE_HTTPONLY", true, true},
		{"What does the CSRF_COOKIE_HTTPONLY setting do?", "Cross Site Request Forgery protection › Settings", false, false},
		{"What does select_for_update do in a Django queryset?", "QuerySet API reference › QuerySet API › Methods that return new QuerySets › select_for_update()", true, true},
		{"How do you use Django's paginator?", "Paginator", true, false},
		{"How do you use Django's paginator?", "Paginator › Page class", false, false},
		// a whole name only: SECURE_HSTS_SECONDS does not name SECURE_HSTS, nor "Settings" settings_x
		{"What does SECURE_HSTS_SECONDS control?", "Settings › SECURE_HSTS", false, false},
		{"What does SECURE_HSTS_PRELOAD do?", "Settings › Core Settings › SECURE_HSTS_SECONDS", false, false},
		{"What does settings_module hold?", "Settings", false, false},
		{"How do I use it?", "Settings › Use", false, false},
		// headings named but no code: a product, a plain word, a call the question does not write
		{"How do I do full-text search on PostgreSQL with the ORM?", "Migrations › PostgreSQL", true, false},
		{"How is security handled?", "Django documentation › Security", true, false},
		{"Explain React hooks like useState and useEffect.", "QuerySet API reference › explain()", true, false},
		{"What does QuerySet.explain() print?", "QuerySet API reference › explain()", true, true},
	}
	for _, tt := range tests {
		if named, identifier := namedBy(tt.question, tt.title), namesIdentifier(tt.question, tt.title); named != tt.named || identifier != tt.identifier {
			t.Errorf("namedBy, namesIdentifier(%q, %q) = %v, %v; want %v, %v", tt.question, tt.title, named, identifier, tt.named, tt.identifier)
		}
	}
}
