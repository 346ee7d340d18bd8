package docparse_test

import (
	"reflect"
	"strings"
	"testing"

	"github.com/interviewcoach/coach/internal/docparse"
)

func TestPageTitleAndCanonicalURL(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name, head, title, url string
	}{
		{"canonical", `<title>Django Q&amp;A | Site</title><link rel="canonical" href="https://example.org/django-qa">`, "Django Q&A | Site", "https://example.org/django-qa"},
		{"og:url when no canonical", `<title>Q</title><meta property="og:url" content="https://example.org/og">`, "Q", "https://example.org/og"},
		{"canonical wins over og:url", `<meta property="og:url" content="https://example.org/og"><link rel="alternate canonical" href="https://example.org/c">`, "", "https://example.org/c"},
		{"relative canonical ignored", `<title>T</title><link rel="canonical" href="/local/path">`, "T", ""},
		{"javascript ignored", `<link rel="canonical" href="javascript:alert(1)">`, "", ""},
		{"links in the body ignored", `</head><body><link rel="canonical" href="https://example.org/late">`, "", ""},
	} {
		page := "<html><head>" + tt.head + "</head><body><h2>What is a QuerySet?</h2><p>A QuerySet is a lazy collection of rows from the database, built by the ORM.</p></body></html>"
		doc, err := docparse.Parse("page.html", []byte(page))
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		if doc.URL != tt.url || (tt.title != "" && doc.Title != tt.title) {
			t.Errorf("%s: title %q url %q, want %q %q", tt.name, doc.Title, doc.URL, tt.title, tt.url)
		}
	}
}

func TestCSVKeyPointSeparators(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name, cell string
		want       []string
	}{
		{"pipes", "a is lazy|b caches|c slices", []string{"a is lazy", "b caches", "c slices"}},
		{"spaced pipes", "a is lazy | b caches", []string{"a is lazy", "b caches"}},
		{"semicolons", "a is lazy; b caches", []string{"a is lazy", "b caches"}},
		{"new lines with markers", "- a is lazy\n- b caches\n• c slices", []string{"a is lazy", "b caches", "c slices"}},
		{"pipes keep semicolons", "a; still a | b", []string{"a; still a", "b"}},
		{"a JSON list", `["a is lazy", "b; caches"]`, []string{"a is lazy", "b; caches"}},
		{"empty parts dropped", "a||b", []string{"a", "b"}},
		{"empty parts dropped after semicolons", "a;;b;", []string{"a", "b"}},
	} {
		data := "question,answer,key_points\nWhat is a QuerySet?,A lazy collection of rows.,\"" + strings.ReplaceAll(tt.cell, `"`, `""`) + "\"\n"
		doc, err := docparse.Parse("bank.csv", []byte(data))
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		if len(doc.Drafts) != 1 || !reflect.DeepEqual(doc.Drafts[0].KeyPoints, tt.want) {
			t.Errorf("%s: drafts %+v, want key points %q", tt.name, doc.Drafts, tt.want)
		}
	}
}

func TestCSVUnreadableKeyPoints(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct{ name, cell, reason string }{
		{"a broken JSON list", `["a", 3]`, "JSON list"},
		{"an unknown separator", strings.Repeat("QuerySets are lazy and cache their rows ", 8) + "/ " + strings.Repeat("slicing stays lazy ", 10), "over 400 characters"},
	} {
		data := "question,answer,key_points\nWhat is a QuerySet?,A lazy collection of rows.,\"" + strings.ReplaceAll(tt.cell, `"`, `""`) + "\"\n" +
			"What is a model?,A class mapped to a table.,A model maps to a table\n"
		doc, err := docparse.Parse("bank.csv", []byte(data))
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		if len(doc.Drafts) != 1 || len(doc.Skipped) != 1 || !strings.Contains(doc.Skipped[0].Reason, tt.reason) || !strings.Contains(doc.Skipped[0].Reason, "|, ; or new lines") {
			t.Errorf("%s: drafts %d, skipped %+v; want the row skipped naming %q", tt.name, len(doc.Drafts), doc.Skipped, tt.reason)
		}
	}
}
