package docparse

import (
	"reflect"
	"strings"
	"testing"
)

// qa is the part of a draft the page tests compare.
type qa struct{ Q, A string }

func pairs(doc *Document) []qa {
	out := make([]qa, len(doc.Drafts))
	for i, d := range doc.Drafts {
		out[i] = qa{d.Question, d.Answer}
	}
	return out
}

func TestPageLayouts(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		file  string
		text  string
		title string
		want  []qa
	}{
		{
			name: "Q and A labels without blank lines",
			file: "go.txt",
			text: "Go quiz\nQ: What is a goroutine?\nA: A function running concurrently with others.\nQ: What is a channel?\nA: A typed conduit between goroutines.\n",
			want: []qa{
				{"What is a goroutine?", "A function running concurrently with others."},
				{"What is a channel?", "A typed conduit between goroutines."},
			},
			title: "Go quiz",
		},
		{
			name: "Question and Answer labels with lists and code",
			file: "notes",
			text: "Question: How do you start a Go module?\n\nAnswer: Run this in the project folder:\n\ngo mod init example.com/app\n\n" +
				"Question: Name the zero values.\n\n  • 0 for numbers\n  • \"\" for strings\n  • nil for pointers\n\n" +
				"Questions 3: Why is a map unordered?\nAns. Iteration order is randomised on purpose.\n",
			want: []qa{
				{"How do you start a Go module?", "Run this in the project folder:\n\n```\ngo mod init example.com/app\n```"},
				{"Name the zero values.", "- 0 for numbers\n- \"\" for strings\n- nil for pointers"},
				{"Why is a map unordered?", "Iteration order is randomised on purpose."},
			},
		},
		{
			name: "labels split over lines and inline answers",
			file: "split.txt",
			text: "Question:\nWhat does defer do?\nAnswer:\nIt runs a call when the function returns.\n\n" +
				"Q2. What is the difference between an array\nand a slice?\n\nA slice is a view of an array.\n\n" +
				"Q: What is iota? A: A counter in constant declarations.\n",
			want: []qa{
				{"What does defer do?", "It runs a call when the function returns."},
				{"What is the difference between an array and a slice?", "A slice is a view of an array."},
				{"What is iota?", "A counter in constant declarations."},
			},
		},
		{
			name: "numbered questions with a numbered list inside an answer",
			file: "numbered.txt",
			text: "Top Go Interview Questions\n\n1. What is Go?\n\nA compiled language from Google.\n\n" +
				"2) How do you build a binary?\n\nSteps:\n\n1. Write main.go\n2. Run the build\n\ngo build ./cmd/app\n\n" +
				"3. Explain interfaces in Go.\n\nAnswer: Sets of methods satisfied implicitly.\n",
			title: "Top Go Interview Questions",
			want: []qa{
				{"What is Go?", "A compiled language from Google."},
				{"How do you build a binary?", "Steps:\n\n1. Write main.go\n2. Run the build\n\n```\ngo build ./cmd/app\n```"},
				{"Explain interfaces in Go.", "Sets of methods satisfied implicitly."},
			},
		},
		{
			name: "bare question headings",
			file: "headings.txt",
			text: "Go interview questions\n\nBasic questions\n\n" +
				"What is a goroutine?\n\nA lightweight thread.\n\nIt is scheduled by the runtime:\n\n- cheap to start\n- grows its stack\n\n" +
				"Explain the select statement\n\nIt waits on several channel operations.\n\n" +
				"How to stop a goroutine\n\nClose a done channel or cancel a context.\n\n" +
				"Conclusion\n\nGo makes concurrency simple.\n",
			title: "Go interview questions",
			want: []qa{
				{"What is a goroutine?", "A lightweight thread.\n\nIt is scheduled by the runtime:\n\n- cheap to start\n- grows its stack"},
				{"Explain the select statement", "It waits on several channel operations."},
				{"How to stop a goroutine", "Close a done channel or cancel a context."},
			},
		},
		{
			name: "markdown headings, fences and wrapped paragraphs",
			file: "bank.md",
			text: "# Go questions\n\n## Table of Contents\n\n- What is a slice?\n- How does append grow a slice?\n\n" +
				"## What is a slice?\n\nA slice describes a piece of an array: a pointer,\na length and a capacity.\n\n" +
				"```go\ns := make([]int, 0, 10)\n```\n\n" +
				"### How does append grow a slice?\n\n**Answer:** It allocates a bigger array when\nthe capacity is exhausted.\n\n" +
				"## Summary\n\nThat is all.\n",
			title: "Go questions",
			want: []qa{
				{"What is a slice?", "A slice describes a piece of an array: a pointer, a length and a capacity.\n\n```go\ns := make([]int, 0, 10)\n```"},
				{"How does append grow a slice?", "It allocates a bigger array when the capacity is exhausted."},
			},
		},
		{
			name: "markdown list of headings with a linked table of contents",
			file: "README.md",
			text: "# Go Interview Questions\n\n## Table of Contents\n\n1. [What is Go?](#what-is-go)\n2. [What are goroutines?](#what-are-goroutines)\n\n" +
				"1. ### What is Go?\n\n   Go is a compiled language.\n\n   **[⬆ Back to Top](#table-of-contents)**\n\n" +
				"2. ### What are goroutines?\n\n   Functions that run concurrently:\n\n   ```go\n   go worker(ch)\n   ```\n",
			title: "Go Interview Questions",
			want: []qa{
				{"What is Go?", "Go is a compiled language."},
				{"What are goroutines?", "Functions that run concurrently:\n\n```go\ngo worker(ch)\n```"},
			},
		},
		{
			name: "HTML paragraphs with labels",
			file: "faq.htm",
			text: "<p><strong>Q1. What is REST?</strong></p><p><strong>Answer:</strong> An architectural style.</p>" +
				"<p><b>Q2.</b> What is gRPC?</p><p>A: An RPC framework over <em>HTTP/2</em>.</p>",
			want: []qa{
				{"What is REST?", "An architectural style."},
				{"What is gRPC?", "An RPC framework over HTTP/2."},
			},
		},
		{
			name: "answers whose questions were lost",
			file: "orphans.txt",
			text: "Some intro text about the guide.\nAnswer: The first answer.\nAnswer: The second answer, with a table:\n| a | b |\n| 1 | 2 |\nAnswer: The third answer.\n| Role | Average Salary |\n| Junior | 5 LPA |\nClosing words.\n",
			want: []qa{
				{"", "The first answer."},
				{"", "The second answer, with a table:\n\n| a | b |\n| 1 | 2 |"},
				{"", "The third answer."},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			doc, err := Parse(tt.file, []byte(tt.text))
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if doc.Format != FormatPage {
				t.Errorf("format = %q, want page", doc.Format)
			}
			if got := pairs(doc); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("drafts:\n got %q\nwant %q\nskipped: %+v", got, tt.want, doc.Skipped)
			}
			if tt.title != "" && doc.Title != tt.title {
				t.Errorf("title = %q, want %q", doc.Title, tt.title)
			}
		})
	}
}

func TestPageNoise(t *testing.T) {
	t.Parallel()
	text := strings.Join([]string{
		"Home",
		"Python interview questions",
		"Posted by Jane Doe | March 3, 2024",
		"",
		"What is a decorator?",
		"",
		"A function that wraps another function.",
		"",
		"python_logo.png",
		"",
		"It is applied with the @ syntax.",
		"",
		"Looking for a Python job?",
		"",
		"Thousands of openings every week.",
		"",
		"Apply now",
		"",
		"Why use a virtual environment?",
		"",
		"To isolate the packages of each project.",
		"",
		"We hope this article helped you prepare. Share it with your friends!",
		"",
		"Share on Twitter",
		"",
		"About the Author",
		"",
		"Jane Doe is a technical writer who loves Python.",
		"",
		"Related Articles",
		"",
		"What is Django?",
		"",
		"Top 10 Flask questions",
		"",
		"Leave a Reply",
		"",
		"Your email address will not be published.",
		"",
		"We use cookies to improve your experience.",
	}, "\n")
	doc, err := Parse("noise.txt", []byte(text))
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	want := []qa{
		{"What is a decorator?", "A function that wraps another function.\n\nIt is applied with the @ syntax."},
		{"Why use a virtual environment?", "To isolate the packages of each project."},
	}
	if got := pairs(doc); !reflect.DeepEqual(got, want) {
		t.Fatalf("drafts:\n got %q\nwant %q\nskipped: %+v", got, want, doc.Skipped)
	}
	reasons := map[string]bool{}
	for _, s := range doc.Skipped {
		reasons[s.Reason] = true
	}
	for _, r := range []string{ReasonNavigation, ReasonByline, ReasonImage, ReasonAdvert, ReasonCallToAction,
		ReasonPageRemarks, ReasonShare, ReasonAuthorBio, ReasonRelated, ReasonComments, ReasonCookies} {
		if !reasons[r] {
			t.Errorf("no skipped block with reason %q; skipped: %+v", r, doc.Skipped)
		}
	}
}

func TestPageDifficultyFromSections(t *testing.T) {
	t.Parallel()
	text := "Basic interview questions\n\nWhat is X?\n\nAn x.\n\n" +
		"Intermediate interview questions\n\nWhat is Y?\n\nA y.\n\n" +
		"Advanced interview questions\n\nWhat is Z?\n\nA z.\n\n" +
		"Other questions\n\nWhat is W?\n\nA w.\n"
	doc, err := Parse("levels.txt", []byte(text))
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	var got []string
	for _, d := range doc.Drafts {
		got = append(got, d.Question+"="+d.Difficulty)
	}
	want := []string{"What is X?=easy", "What is Y?=medium", "What is Z?=hard", "What is W?="}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("difficulties = %q, want %q", got, want)
	}
}

func TestPageHTML(t *testing.T) {
	t.Parallel()
	page := `<!DOCTYPE html>
<html><head><title>Go Questions | Example Site</title>
<style>h2 { color: red; }</style>
<script>var q = "<h2>What is fake?</h2>";</script>
</head>
<body>
<nav><a href="/">Home</a> <a href="/blog">What is our blog?</a></nav>
<h1>Go Interview Questions</h1>
<!-- <h2>What is commented out?</h2> -->
<h2>1. What is a <code>nil</code> map?</h2>
<p>A map with no storage: reads return zero values &amp; writes panic.</p>
<pre><code>var m map[string]int
m["a"] = 1 // panics
</code></pre>
<h2>2. Which tools ship with Go?</h2>
<ul>
  <li>go <b>build</b></li>
  <li>go test<br>with -race</li>
</ul>
<p>Use &lt;go vet&gt; too.</p>
<aside><h3>3. What is our newsletter?</h3><p>Subscribe!</p></aside>
<footer>&copy; 2024 Example</footer>
</body></html>`
	doc, err := Parse("page.html", []byte(page))
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	want := []qa{
		{"What is a nil map?", "A map with no storage: reads return zero values & writes panic.\n\n```\nvar m map[string]int\nm[\"a\"] = 1 // panics\n```"},
		{"Which tools ship with Go?", "- go build\n- go test\n  with -race\n\nUse <go vet> too."},
	}
	if got := pairs(doc); !reflect.DeepEqual(got, want) {
		t.Errorf("drafts:\n got %q\nwant %q\nskipped: %+v", got, want, doc.Skipped)
	}
	if doc.Title != "Go Interview Questions" {
		t.Errorf("title = %q", doc.Title)
	}
	// Locations are lines of the HTML file, where the <h2> elements are.
	if got := []string{doc.Drafts[0].Location, doc.Drafts[1].Location}; !reflect.DeepEqual(got, []string{"line 10", "line 15"}) {
		t.Errorf("locations = %q, want lines 10 and 15", got)
	}
	reasons := map[string]bool{}
	for _, s := range doc.Skipped {
		reasons[s.Reason] = true
	}
	for _, r := range []string{"navigation", "sidebar", "page footer"} {
		if !reasons[r] {
			t.Errorf("no skipped block with reason %q: %+v", r, doc.Skipped)
		}
	}

	// Without an <h1> the <title> names the page; a .txt holding HTML is read as HTML.
	doc, err = Parse("saved.txt", []byte("<html><title>Saved &amp; Stored</title><body><h2>What is Go?</h2><p>A language.</p></body></html>"))
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	if doc.Title != "Saved & Stored" || len(doc.Drafts) != 1 || doc.Drafts[0].Answer != "A language." {
		t.Errorf("got title %q drafts %+v", doc.Title, doc.Drafts)
	}
}

func TestPageHTMLForms(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("<p>Details that make the answer long enough to be the article itself.</p>", 40)
	tests := []struct {
		name string
		page string
		want int
	}{
		{"page wrapped in one form", `<html><body><form id="main"><h2>What is a form?</h2>` + long + `</form></body></html>`, 1},
		{"comment form after the answer", `<html><body><h2>What is a form?</h2><p>An HTML element.</p><form><h3>What do you think?</h3><textarea></textarea></form></body></html>`, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			doc, err := Parse("page.html", []byte(tt.page))
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if len(doc.Drafts) != tt.want || doc.Drafts[0].Question != "What is a form?" {
				t.Errorf("drafts = %+v, want %d", doc.Drafts, tt.want)
			}
			if strings.Contains(doc.Drafts[0].Answer, "What do you think") {
				t.Errorf("comment form leaked into the answer: %q", doc.Drafts[0].Answer)
			}
		})
	}
}

func TestIsQuestionLike(t *testing.T) {
	t.Parallel()
	tests := []struct {
		line string
		want bool
	}{
		{"What is Django?", true},
		{"What’s new in Go 1.22?", true},
		{"Explain the Model-View-Template pattern in Django.", true},
		{"Explain Django's CDN integration and its benefits", true},
		{"How to deploy a Go service", true},
		{"Name the caching strategies in Django.", true},
		{"Is Django a CMS", true},
		{"Difference between for loop and while loop in Python", true},
		{"When a row is locked, other transactions wait.", false},
		{"List comprehensions are faster than loops", false},
		{"Here are some of them:", false},
		{"Conclusion", false},
		{"Table of Contents", false},
		{"Wrapping up", false},
		{"Basic Django interview questions and answers", false},
		{"What", false},
		{"Django is a web framework.", false},
		{"Which of these is right:", false},
	}
	for _, tt := range tests {
		if got := isQuestionLike(tt.line); got != tt.want {
			t.Errorf("isQuestionLike(%q) = %v, want %v", tt.line, got, tt.want)
		}
	}
}

func TestIsCodeLine(t *testing.T) {
	t.Parallel()
	tests := []struct {
		line string
		want bool
	}{
		{"pip install Django", true},
		{"python manage.py makemigrations", true},
		{"Python manage.py migrate", true},
		{"django-admin startproject mysite", true},
		{`C:\Users> pip install Django`, true},
		{"$ go test ./...", true},
		{"User.objects.filter(is_active=True)", true},
		{"from django.db import connection", true},
		{"def hello(request):", true},
		{"DEBUG = False", true},
		{"{% load static %}", true},
		{"Python is a high-level programming language.", false},
		{"Python 3.12 is supported", false},
		{"django-admin version Show the current version of Django", false},
		{"Import the necessary modules in your file:", false},
		{"get() returns exactly one object", false},
		{"Make sure the server is running", false},
	}
	for _, tt := range tests {
		if got := isCodeLine(tt.line); got != tt.want {
			t.Errorf("isCodeLine(%q) = %v, want %v", tt.line, got, tt.want)
		}
	}
}

func TestClassifyNoise(t *testing.T) {
	t.Parallel()
	tests := []struct {
		line   string
		reason string // "" for not noise
	}{
		{"Hire Now", ReasonAdvert},
		{"Tired of interviewing candidates to find the best developers?", ReasonAdvert},
		{"Read More »", ReasonCallToAction},
		{"Book your Free Demo Session", ReasonCallToAction},
		{"Follow Us", ReasonShare},
		{"By | January 31, 2021", ReasonByline},
		{"Last updated on Jul 19, 2024", ReasonByline},
		{"Author: Jane Doe", ReasonAuthorBio},
		{"Leave a Reply", ReasonComments},
		{"Related Posts", ReasonRelated},
		{"You might be also interested:", ReasonRelated},
		{"Table of Contents", ReasonTOC},
		{"Wrapping up", ReasonConclusion},
		{"| Experience Level | Role | Average Salary (per annum) |", ReasonSalary},
		{"| Two Scoops of Django | Book | [Affiliate Link] |", ReasonAffiliate},
		{"304 North Cardinal St.", ReasonContact},
		{"Monday to Friday: 7AM - 7PM", ReasonContact},
		{"screenshot of the admin.webp", ReasonImage},
		{"Tell us the skills you need and we will find the best developer.", ReasonCallToAction},
		{"Tell me about a project you are proud of.", ""},
		// Answer text that only looks like furniture.
		{"By extending AbstractBaseUser and BaseUserManager, and updating AUTH_USER_MODEL.", ""},
		{"Author model has a ForeignKey to Book", ""},
		{"Comments in templates use the comment tag", ""},
		{"The session framework abstracts the sending and receiving of cookies", ""},
		{"print(book.author.name)", ""},
		{"Django handles file uploads using the FileField and ImageField fields.", ""},
	}
	for _, tt := range tests {
		got := ""
		if r := classifyNoise(tt.line); r != nil {
			got = r.reason
		}
		if got != tt.reason {
			t.Errorf("classifyNoise(%q) = %q, want %q", tt.line, got, tt.reason)
		}
	}
}
