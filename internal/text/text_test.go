package text

import (
	"slices"
	"strings"
	"testing"
)

func TestNormalize(t *testing.T) {
	t.Parallel()
	tests := []struct{ in, want string }{
		{"What is Django?", "what is django"},
		{"  What   is\tDjango ?? ", "what is django"},
		{"What’s the difference between null=True and blank=True?", "whats the difference between null true and blank true"},
		{"How does select_related() avoid the N+1 problem?", "how does select_related avoid the n+1 problem"},
		{"Explain request.user and settings.py.", "explain request.user and settings.py"},
		{"Café, naïve résumé — Ærø", "cafe naive resume aero"},
		{"Many-to-many vs. one-to-one", "many to many vs one to one"},
		{"What's new in Python 3.12?", "whats new in python 3.12"},
		{"__init__ vs __str__", "__init__ vs __str__"},
		{"e.g. this", "e.g this"},
		{"", ""},
	}
	for _, tt := range tests {
		if got := Normalize(tt.in); got != tt.want {
			t.Errorf("Normalize(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestTokens(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   string
		want []string
	}{
		{"Django's ORM doesn’t hit the DB.", []string{"django's", "orm", "doesn't", "hit", "the", "db"}},
		{"Use select_related() for N+1 queries", []string{"use", "select_related", "for", "n+1", "queries"}},
		{"request.user.is_authenticated in 3.12", []string{"request.user.is_authenticated", "in", "3.12"}},
		{"many-to-many, one-to-one", []string{"many", "to", "many", "one", "to", "one"}},
		{"e.g. 50,000 rows; 1,2", []string{"e.g", "50,000", "rows", "1", "2"}},
		{"QuerySet __init__ HTTPResponse", []string{"queryset", "__init__", "httpresponse"}},
		{"Crème brûlée", []string{"creme", "brulee"}},
		{"'quoted' `code`", []string{"quoted", "code"}},
		{"", []string{}},
	}
	for _, tt := range tests {
		if got := Tokens(tt.in); !slices.Equal(got, tt.want) {
			t.Errorf("Tokens(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestScanBoundaries(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   string
		want []Boundary
	}{
		{"a b", []Boundary{NoBoundary, NoBoundary}},
		{"a, b; c. d", []Boundary{NoBoundary, PhraseBoundary, ClauseBoundary, SentenceBoundary}},
		{"e.g. b", []Boundary{NoBoundary, NoBoundary}},
		{"call f() now", []Boundary{NoBoundary, NoBoundary, NoBoundary}},
		{"a\nb\n\nc", []Boundary{NoBoundary, PhraseBoundary, SentenceBoundary}},
		{"a\n- b\n* c", []Boundary{NoBoundary, SentenceBoundary, SentenceBoundary}},
		{"a - b", []Boundary{NoBoundary, PhraseBoundary}},
		{"wait... then", []Boundary{NoBoundary, PhraseBoundary}},
	}
	for _, tt := range tests {
		var got []Boundary
		for tok := range Scan(tt.in) {
			got = append(got, tok.Boundary)
		}
		if !slices.Equal(got, tt.want) {
			t.Errorf("Scan(%q) boundaries = %v, want %v", tt.in, got, tt.want)
		}
	}
}

func TestSplitIdentifier(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   string
		want []string
	}{
		{"select_related", []string{"select", "related"}},
		{"__init__", []string{"init"}},
		{"QuerySet", []string{"query", "set"}},
		{"HTTPResponseRedirect", []string{"http", "response", "redirect"}},
		{"request.user", []string{"request", "user"}},
		{"AUTH_USER_MODEL", []string{"auth", "user", "model"}},
		{"get_user_model", []string{"get", "user", "model"}},
		{"base64Encode", []string{"base64", "encode"}},
		{"plain", []string{"plain"}},
	}
	for _, tt := range tests {
		if got := SplitIdentifier(tt.in); !slices.Equal(got, tt.want) {
			t.Errorf("SplitIdentifier(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestStopwordsAndNegations(t *testing.T) {
	t.Parallel()
	tests := []struct {
		word           string
		stop, negation bool
	}{
		{"the", true, false},
		{"how", true, false},
		{"e.g", true, false},
		{"not", true, true},
		{"doesn't", true, true},
		{"doesnt", true, true},
		{"never", true, true},
		{"without", true, true},
		{"shan't", true, true},
		{"query", false, false},
		{"always", false, false},
	}
	for _, tt := range tests {
		if got := IsStopword(tt.word); got != tt.stop {
			t.Errorf("IsStopword(%q) = %v, want %v", tt.word, got, tt.stop)
		}
		if got := IsNegation(tt.word); got != tt.negation {
			t.Errorf("IsNegation(%q) = %v, want %v", tt.word, got, tt.negation)
		}
	}
}

func TestSynonymTableIsConsistent(t *testing.T) {
	t.Parallel()
	if len(synonymClash) > 0 {
		t.Errorf("words whose stem two synonym groups claim: %q", synonymClash)
	}
	for _, p := range phraseList {
		if len(Tokens(p.words)) < 2 {
			t.Errorf("phrase %q has fewer than two words", p.words)
		}
	}
	for abbr, long := range abbreviations {
		if IsStopword(abbr) {
			t.Errorf("abbreviation %q is a stopword and would never be expanded", abbr)
		}
		if long == "" {
			t.Errorf("abbreviation %q has no expansion", abbr)
		}
	}
}

func TestCanonical(t *testing.T) {
	t.Parallel()
	// Each group of words must meet on one concept, and the pairs across groups must not.
	same := [][]string{
		{"run", "execute", "executing", "fire", "fired", "issue", "issues", "invoke"},
		{"row", "rows", "record", "records", "object", "instance", "entries"},
		{"fetch", "retrieve", "retrieving", "load", "loaded", "get"},
		{"db", "database", "databases", "postgres"},
		{"sql", "query", "queries"},
		{"fast", "speed", "performance", "efficient", "optimize", "optimization"},
		{"secure", "security", "safe", "protect", "protection"},
		{"error", "errors", "exception", "exceptions"},
		{"function", "method", "methods"},
		{"delete", "remove", "removed", "deleting"},
		{"create", "add", "insert", "inserted"},
		{"update", "modify", "change", "changed", "altering"},
		{"async", "asynchronous", "concurrent", "concurrency"},
		{"user", "users", "account", "accounts"},
		{"login", "authenticate", "authentication", "auth"},
		{"cache", "caching", "cached"},
		{"authorization", "permission", "permissions", "authorize"},
	}
	for _, group := range same {
		want := Canonical(stemWord(group[0]))
		for _, w := range group[1:] {
			if got := Canonical(stemWord(w)); got != want {
				t.Errorf("Canonical(%q) = %q, want %q like %q", w, got, want, group[0])
			}
		}
	}
	different := [][2]string{
		{"author", "authorization"},
		{"product", "production"},
		{"set", "settings"},
		{"query", "database"},
		{"slow", "fast"},
		{"create", "delete"},
	}
	for _, pair := range different {
		a, b := Canonical(stemWord(pair[0])), Canonical(stemWord(pair[1]))
		if a == b {
			t.Errorf("%q and %q share the concept %q", pair[0], pair[1], a)
		}
	}
}

func TestExpand(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in, want string
		ok       bool
	}{
		{"fk", "foreign key", true},
		{"csrf", "cross site request forgery", true},
		{"django", "", false},
	}
	for _, tt := range tests {
		got, ok := Expand(tt.in)
		if got != tt.want || ok != tt.ok {
			t.Errorf("Expand(%q) = %q, %v, want %q, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

// concepts renders the terms of s as "concept" or "!concept" when negated, for compact tables.
func concepts(s string) string {
	var b strings.Builder
	for i, t := range Analyze(s) {
		if i > 0 {
			b.WriteByte(' ')
		}
		if t.Negated {
			b.WriteByte('!')
		}
		if t.Part {
			b.WriteByte('~')
		}
		b.WriteString(t.Concept)
	}
	return b.String()
}

func TestAnalyze(t *testing.T) {
	t.Parallel()
	tests := []struct{ in, want string }{
		// Synonyms and stems meet.
		{"Running the queries", "execut queri"},
		{"Executes SQL statements", "execut queri queri"},
		// Phrases and abbreviations.
		{"a foreign key", "fk"},
		{"two FKs", "two fk"},
		{"Users log in, then sign out", "user login logout"},
		{"one query per row", "one n+1"},
		{"the N+1 problem", "n+1 problem"},
		{"CSRF and cross-site request forgery", "csrf csrf"},
		// Identifiers stay whole and give their words.
		{"use select_related()", "use select_related ~select ~relat"},
		{"ManyToManyField", "manytomanyfield ~m2m ~column"},
		// Negation: scope of four content words, ended by punctuation and contrasts.
		{"It does not touch the database", "!touch !databas"},
		{"It does not hit the database", "!queri"},
		{"QuerySets aren't evaluated until iteration", "queryset ~queri ~set !evalu loop"},
		{"Signals are never fired by bulk updates, but save() fires them", "signal !execut !bulk !updat save execut"},
		{"No query runs", "!queri !execut"},
		{"not only fast but also safe", "speed secur"},
		{"doesn't block; it returns", "!block return"},
		{"without a join one two three four five", "!join !one !two !three four five"},
	}
	for _, tt := range tests {
		if got := concepts(tt.in); got != tt.want {
			t.Errorf("Analyze(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestTermsAndConcepts(t *testing.T) {
	t.Parallel()
	in := "Fetching records from the DB"
	if got, want := Terms(in), []string{"fetch", "record", "db"}; !slices.Equal(got, want) {
		t.Errorf("Terms(%q) = %q, want %q", in, got, want)
	}
	if got, want := Concepts(in), []string{"fetch", "row", "databas"}; !slices.Equal(got, want) {
		t.Errorf("Concepts(%q) = %q, want %q", in, got, want)
	}
}

func TestNegated(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   string
		want string // one letter per token: n negated, - not
	}{
		{"it is not lazy", "---n"},
		{"it doesn't hit the db but caches", "--n-n--"},
		{"never runs any query", "-n-n"},
		{"not only fast", "---"},
	}
	for _, tt := range tests {
		toks := strings.Fields(tt.in)
		var b strings.Builder
		for _, neg := range Negated(toks) {
			if neg {
				b.WriteByte('n')
			} else {
				b.WriteByte('-')
			}
		}
		if got := b.String(); got != tt.want {
			t.Errorf("Negated(%q) = %s, want %s", tt.in, got, tt.want)
		}
	}
}

func TestSentences(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		in   string
		want []string
	}{
		{
			name: "abbreviations and decimals",
			in:   "Use a cache, e.g. Redis or Memcached. Python 3.12 is fine, i.e. supported. Views, forms etc. are covered. Then stop.",
			want: []string{"Use a cache, e.g. Redis or Memcached.", "Python 3.12 is fine, i.e. supported.", "Views, forms etc. are covered.", "Then stop."},
		},
		{
			name: "questions and code spans",
			in:   "Why? Because `qs.filter(). Then` is lazy! Really. select_related() joins. filter() too. request.user works. the end.",
			want: []string{"Why?", "Because `qs.filter(). Then` is lazy!", "Really.", "select_related() joins.", "filter() too.", "request.user works. the end."},
		},
		{
			name: "bullets",
			in:   "It provides:\n  • Serializers for converting data\n  • ViewSets and Routers. Also routers.\n- dashed item\n1. numbered item\n2) another",
			want: []string{"It provides:", "Serializers for converting data", "ViewSets and Routers.", "Also routers.", "dashed item", "numbered item", "another"},
		},
		{
			name: "wrapped lines join, labelled lines do not",
			in:   "It lets developers write\ndatabase queries in Python.\nModel: the data\nView: the logic",
			want: []string{"It lets developers write database queries in Python.", "Model: the data", "View: the logic"},
		},
		{
			name: "code",
			in:   "Filter like this:\n\nUser.objects.filter(is_active=True)\n\n```python\nx = 1\ny = 2\n```\nDone.",
			want: []string{"Filter like this:", "User.objects.filter(is_active=True)", "x = 1\ny = 2", "Done."},
		},
		{
			name: "empty",
			in:   " \n\n ",
			want: nil,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := Sentences(tt.in); !slices.Equal(got, tt.want) {
				t.Errorf("Sentences(%q)\n got %q\nwant %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestSegmentKinds(t *testing.T) {
	t.Parallel()
	in := "Intro sentence.\n• a bullet item\n• class MyView(View):\n      def get(self, request): ...\nClosing words."
	want := []Segment{
		{"Intro sentence.", Prose},
		{"a bullet item", Bullet},
		{"class MyView(View):\n      def get(self, request): ...", Code},
		{"Closing words.", Prose},
	}
	if got := Segments(in); !slices.Equal(got, want) {
		t.Errorf("Segments(%q)\n got %v\nwant %v", in, got, want)
	}
}

func TestLooksLikeCode(t *testing.T) {
	t.Parallel()
	tests := []struct {
		line string
		want bool
	}{
		{"User.objects.filter(is_active=True)", true},
		{"Book.objects.select_related('author').all()", true},
		{"DEBUG = False", true},
		{"from django.db import models", true},
		{"def get(self, request):", true},
		{"{% csrf_token %}", true},
		{"<form method=\"post\">", true},
		{"python manage.py migrate", true},
		{"For example, use select_related.", false},
		{"From the docs, signals are synchronous.", false},
		{"Use caching (Redis) for speed", false},
		{"len() returns the number of rows in the result.", false},
		{"Class-based views are reusable.", false},
		{"For CharField, avoid null=True.", false},
		{"With select_related(), Django joins.", false},
		{"Return a response from the view.", false},
		{"for book in books:", true},
		{"return render(request, \"index.html\")", true},
	}
	for _, tt := range tests {
		if got := LooksLikeCode(tt.line); got != tt.want {
			t.Errorf("LooksLikeCode(%q) = %v, want %v", tt.line, got, tt.want)
		}
	}
}

func BenchmarkAnalyze(b *testing.B) {
	passage := strings.Repeat("Accessing a related object inside a loop makes Django issue a separate SQL query for every row, the classic N+1 problem. select_related follows foreign keys with a JOIN. ", 3)
	var terms []Term
	b.SetBytes(int64(len(passage)))
	b.ReportAllocs()
	for b.Loop() {
		terms = AppendTerms(terms[:0], passage)
	}
}

func TestRelated(t *testing.T) {
	t.Parallel()
	tests := []struct {
		concept string
		want    []string
	}{
		{Canonical(Stem("cache")), []string{"redi", "memcach"}},
		{"redi", []string{"cach", "memcach"}},
		{"n+1", []string{"select_related", "prefetch_related"}},
		{Canonical(Stem("anonymous")), []string{"login"}},
		{"django", nil},
	}
	for _, tt := range tests {
		if got := Related(tt.concept); !slices.Equal(got, tt.want) {
			t.Errorf("Related(%q) = %q, want %q", tt.concept, got, tt.want)
		}
	}
}

func FuzzText(f *testing.F) {
	for _, s := range []string{
		"Use select_related() for N+1 queries; it doesn't hit the DB.",
		"e.g. 50,000 rows\n- item\n```\ncode\n```",
		"'s' ''' ... ()",
		"Ünïcödé ﬁle — ✓",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n := Normalize(s)
		if again := Normalize(n); again != n {
			t.Errorf("Normalize is not idempotent: %q gives %q, then %q", s, n, again)
		}
		for _, term := range Analyze(s) {
			if term.Concept == "" || term.Stem == "" {
				t.Errorf("Analyze(%q) gave an empty term: %+v", s, term)
			}
		}
		for _, seg := range Segments(s) {
			if strings.TrimSpace(seg.Text) == "" {
				t.Errorf("Segments(%q) gave an empty segment", s)
			}
		}
		for _, w := range Tokens(s) {
			_ = Stem(w)
		}
	})
}
