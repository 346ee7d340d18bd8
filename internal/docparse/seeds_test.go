package docparse

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The seed pages are real interview pages saved as text, kept next to the repository in
// shared/seeds. They are read, never copied into the repository.

// seedDir finds shared/seeds by walking up from the working directory: the repository sits beside
// the shared folder, and tests run from the package directory.
func seedDir(tb testing.TB) string {
	tb.Helper()
	wd, err := os.Getwd()
	if err != nil {
		tb.Fatalf("working directory: %v", err)
	}
	for dir := wd; ; dir = filepath.Dir(dir) {
		candidate := filepath.Join(dir, "shared", "seeds")
		if fi, err := os.Stat(candidate); err == nil && fi.IsDir() {
			return candidate
		}
		if filepath.Dir(dir) == dir {
			tb.Fatalf("seed pages not found: no shared/seeds directory in %s or any parent; the page tests need them", wd)
			return ""
		}
	}
}

// readSeed returns the one seed page whose name starts with prefix, and its name.
func readSeed(tb testing.TB, prefix string) (string, []byte) {
	tb.Helper()
	dir := seedDir(tb)
	matches, err := filepath.Glob(filepath.Join(dir, prefix+"*"))
	if err != nil || len(matches) != 1 {
		tb.Fatalf("want exactly one seed page %s* in %s, found %v (%v)", prefix, dir, matches, err)
	}
	data, err := os.ReadFile(matches[0])
	if err != nil {
		tb.Fatalf("read seed page: %v", err)
	}
	return filepath.Base(matches[0]), data
}

// seedQuestion is a question the page must yield, with text its answer must and must not hold.
type seedQuestion struct {
	question   string   // exact question text; "" with an orphan picked by answerHas
	answerHas  []string // substrings of the answer
	answerNot  []string // substrings the answer must not contain
	difficulty string
}

func TestSeedPages(t *testing.T) {
	t.Parallel()
	tests := []struct {
		prefix string
		// want is the number of question/answer pairs, counted by reading the page.
		want    int
		title   string
		orphans bool // every draft has an empty question
		named   []seedQuestion
		// noise is page furniture that must not become a question or leak into an answer.
		noise []string
		// skipReasons must each appear among the skipped blocks.
		skipReasons []string
	}{
		{
			// 50: every "Question:" or "Questions:" line (48 + 2) starts a pair; each has an
			// answer, either an "Answer:" paragraph or a list or table right under it.
			prefix: "000_",
			want:   50,
			title:  "Django Interview Questions and Answers",
			named: []seedQuestion{
				{question: "What is Django?", answerHas: []string{"full-stack Python Web framework"}},
				{question: "Name the Caching Strategies in Django.", answerHas: []string{"- File System caching\n- In-memory caching\n- Using Memcached\n- Database caching"}},
				{question: "How to install Django in your system?", answerHas: []string{"pip command", "```\nC:\\Users> pip install Django\n```"}},
				{question: "What is DjangoRestFramework?", answerHas: []string{"OAuth2", "```\npip install djangorestframework\n```"}},
			},
			noise: []string{"By | January 31", "reached at the end", "comment down", "You might be also interested",
				"Author: Paridhi Joshi", "expert web content manager", "Leave a Reply", "Your email address will not be published"},
			skipReasons: []string{ReasonByline, ReasonAuthorBio, ReasonComments, ReasonPageRemarks},
		},
		{
			// 19: the page numbers its questions 2 to 20 (number 1 is missing from the saved
			// page); from 15 on the lines are indented, which changes nothing.
			prefix: "001_",
			want:   19,
			title:  "Django Interview Questions",
			named: []seedQuestion{
				{question: "How does Django ORM work?", answerHas: []string{"maps Python classes to database tables", "```\nUser.objects.filter(is_active=True)\n```"}},
				{question: "What is the difference between null=True and blank=True in models?", answerHas: []string{"- null=True: Database can store NULL", "- blank=True: Field can be left empty"}},
				{question: "How do you perform database migrations in Django?", answerHas: []string{"Use:", "```\npython manage.py makemigrations\nPython manage.py migrate\n```", "This creates and applies schema changes"}},
				{question: "What is the difference between function-based views (FBV) and class-based views (CBV)?", answerHas: []string{"- class MyView(View):\n  Def get(self, request): ..."}},
			},
		},
		{
			// 100: each question is a line of its own after two blank lines (the page claims a
			// "top 100" and has exactly that many). The three "Tired of interviewing
			// candidates ...?" boxes are advertisements, not questions.
			prefix: "002_",
			want:   100,
			title:  "Django interview questions and answers in 2023",
			named: []seedQuestion{
				{question: "What is Django and why is it used in web development?", difficulty: "easy", answerHas: []string{"high-level Python web framework", "Rapid Development:"}},
				{question: "What is the difference between select_related and prefetch_related in Django queries?", difficulty: "medium",
					answerHas: []string{"- select_related performs a SQL join", "- prefetch_related retrieves related objects using separate queries", "ManyToManyField"}},
				{question: "How do you create a custom database backend in Django?", difficulty: "hard", answerHas: []string{"- Subclass DatabaseWrapper:"}},
				{question: "How do you create a new Django project?", answerHas: []string{"```\npip install Django\n```", "```\ndjango-admin startproject projectname\n```"}},
				{question: "Explain the concept of \"database routing\" in Django for multi-database management.", answerHas: []string{"custom database router"}},
				{question: "How can you ensure the security of Django applications through proper user authentication and authorization mechanisms?", answerHas: []string{"- Implementing user roles and groups"}},
			},
			noise: []string{"Tired of interviewing candidates", "Hire top vetted developers", "Hire Now", "Wrapping up",
				"Hire Silicon Valley-caliber", "Hire remote developers", "Tell us the skills you need", ".webp", "Last updated on"},
			skipReasons: []string{ReasonAdvert, ReasonImage, ReasonConclusion, ReasonByline},
		},
		{
			// 30: the page kept its "Answer:" paragraphs but lost the questions; 30 lines start
			// with "Answer:" (one of them only introduces a comparison table).
			prefix:  "003_",
			want:    30,
			orphans: true,
			named: []seedQuestion{
				{answerHas: []string{"N+1 query problem", "select_related(‘author’)", "prefetch_related(‘tags’)"}},
				{answerHas: []string{"MVT stands for Model-View-Template", "| MVC Concept | Django Equivalent |", "| Controller (logic) | View |"}},
				{answerHas: []string{"| Criteria | Django | Flask | FastAPI |", "The hiring-winning answer"}},
				{answerHas: []string{"Stay-current highlights"}, answerNot: []string{"Salary", "premium offers"}},
			},
			noise: []string{"North Cardinal", "Work Hours", "Monday to Friday", "Average Salary", "LPA", "[Affiliate Link]",
				"Affiliate Disclosure", "Bookmark this guide", "Disclaimer", "A typical Django interview process"},
			skipReasons: []string{ReasonNavigation, ReasonContact, ReasonSalary, ReasonAffiliate, ReasonDisclaimer},
		},
		{
			// 15: questions numbered 1 to 15, each followed by an "Answer:" paragraph; the rest
			// is a related-posts box and the teaser of another article.
			prefix: "004_",
			want:   15,
			title:  "Top 15 Django Full Stack Interview Questions",
			named: []seedQuestion{
				{question: "What is a Django Model?", answerHas: []string{"Python class that represents a database table"}},
				{question: "How do you create a new Django application?", answerHas: []string{"python startapp <app_name>"}},
				{question: "What is Django Celery and how does it work?", answerHas: []string{"processed asynchronously by worker processes."}},
			},
			noise: []string{"Follow Us", "Full stack developer", "Related Posts", "RoadMap to learn", "Read More", "Easy to Learn",
				"Google Trends", "How Industries are using Python", "Book your Free Demo Session", "All the fields are mandatory",
				"We guarantee 100% privacy", "will not be shared"},
			skipReasons: []string{ReasonShare, ReasonRelated, ReasonCallToAction, ReasonForm},
		},
	}
	for _, tt := range tests {
		t.Run(tt.prefix, func(t *testing.T) {
			t.Parallel()
			name, data := readSeed(t, tt.prefix)
			doc, err := Parse(name, data)
			if err != nil {
				t.Fatalf("Parse(%s): %v", name, err)
			}
			if len(doc.Drafts) != tt.want {
				var qs []string
				for _, d := range doc.Drafts {
					qs = append(qs, d.Location+" "+d.Question)
				}
				t.Fatalf("Parse(%s) found %d pairs, want %d:\n%s", name, len(doc.Drafts), tt.want, strings.Join(qs, "\n"))
			}
			if doc.Format != FormatPage || doc.Title != tt.title {
				t.Errorf("format/title = %q/%q, want page/%q", doc.Format, doc.Title, tt.title)
			}
			for _, d := range doc.Drafts {
				if (d.Question == "") != tt.orphans {
					t.Errorf("%s: question %q, want orphans=%v", d.Location, d.Question, tt.orphans)
				}
				if strings.HasPrefix(d.Answer, "Answer") || strings.HasPrefix(d.Question, "Question") {
					t.Errorf("%s: label left in %q / %.40q", d.Location, d.Question, d.Answer)
				}
				for _, n := range tt.noise {
					if strings.Contains(d.Question, n) || strings.Contains(d.Answer, n) {
						t.Errorf("%s: page furniture %q leaked into question %q or its answer", d.Location, n, d.Question)
					}
				}
			}
			for _, nq := range tt.named {
				d := findDraft(doc, nq)
				if d == nil {
					t.Errorf("no draft for question %q with answer holding %q", nq.question, nq.answerHas)
					continue
				}
				for _, s := range nq.answerNot {
					if strings.Contains(d.Answer, s) {
						t.Errorf("answer to %q holds %q:\n%s", nq.question, s, d.Answer)
					}
				}
				if nq.difficulty != "" && d.Difficulty != nq.difficulty {
					t.Errorf("difficulty of %q = %q, want %q", nq.question, d.Difficulty, nq.difficulty)
				}
			}
			reasons := map[string]bool{}
			for _, s := range doc.Skipped {
				reasons[s.Reason] = true
			}
			for _, r := range tt.skipReasons {
				if !reasons[r] {
					t.Errorf("no skipped block with reason %q; skipped: %+v", r, doc.Skipped)
				}
			}
		})
	}
}

// findDraft returns the draft with the named question (or, for orphans, the first one) whose
// answer holds every wanted substring.
func findDraft(doc *Document, nq seedQuestion) *Draft {
	for i := range doc.Drafts {
		d := &doc.Drafts[i]
		if nq.question != "" && d.Question != nq.question {
			continue
		}
		ok := true
		for _, s := range nq.answerHas {
			if !strings.Contains(d.Answer, s) {
				ok = false
				break
			}
		}
		if ok {
			return d
		}
	}
	return nil
}
