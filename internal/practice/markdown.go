package practice

import (
	"fmt"
	"io"
	"net/url"
	"regexp"
	"strings"
	"time"

	"github.com/interviewcoach/coach/internal/coach"
)

// WriteMarkdown writes r as a Markdown document. Text that candidates or graders wrote is inert:
// answers are fenced as code with a fence longer than any run of backticks inside them, and every
// other such text (names, typed questions, evidence, feedback) is put on one line after a fixed label
// with Markdown's and HTML's special characters backslash-escaped, so none of it can become a link,
// an image, HTML or structure; bare web addresses and e-mail addresses are broken up too, so that
// viewers that link them (GitHub's, markdown-it's linkify) do not. Topics are named as the bank
// names them (r.TopicNames), and every attempt says who graded it.
func WriteMarkdown(w io.Writer, r *coach.SessionReport) {
	p := func(format string, args ...any) { fmt.Fprintf(w, format, args...) }
	topic := func(id string) string {
		if name := r.TopicNames[id]; name != "" {
			return name
		}
		return id
	}
	title := r.Name
	if title == "" {
		title = r.ID
	}
	p("# Practice session: %s\n\n", Inline(title))
	p("- **Session:** %s\n", Inline(r.ID))
	p("- **Topic:** %s\n", Inline(orAny(topic(r.Topic), "any topic")))
	if len(r.Topics) > 1 || len(r.Session.Topics) > 1 {
		names := make([]string, 0, len(r.Session.Topics))
		for _, id := range r.Session.Topics {
			names = append(names, topic(id))
		}
		if len(names) > 1 {
			p("- **Topics of the plan:** %s\n", Inline(strings.Join(names, ", ")))
		}
	}
	p("- **Difficulty:** %s\n", Inline(orAny(r.Difficulty, "any difficulty")))
	if r.QuestionCount > 0 {
		p("- **Plan:** %d questions\n", r.QuestionCount)
	}
	if r.AnswerSeconds > 0 {
		p("- **Time per answer:** %d s (shown, not enforced)\n", r.AnswerSeconds)
	}
	p("- **Started:** %s\n", stamp(r.CreatedAt))
	p("- **Attempts:** %d\n\n", len(r.Attempts))

	p("## Summary by topic\n\n")
	if len(r.Topics) == 0 {
		p("No attempts on bank questions yet.\n\n")
	} else {
		p("| Topic | Attempts | Mean score | Trend |\n|---|--:|--:|--:|\n")
		for _, t := range r.Topics {
			p("| %s | %d | %.1f | %+.1f |\n", Inline(topic(t.Topic)), t.Attempts, t.MeanScore, t.Trend)
		}
		p("\nTrend: for the questions of a topic answered more than once, the latest score minus the first, averaged; 0 when no question was answered twice.\n\n")
		for _, t := range r.Topics {
			if len(t.WeakestKeyPoints) == 0 {
				continue
			}
			p("**Key points to review in %s:**\n\n", Inline(topic(t.Topic)))
			for _, kp := range t.WeakestKeyPoints {
				p("- **Missed %d×:** %s\n", kp.Misses, Inline(kp.Text))
			}
			p("\n")
		}
	}

	p("## Attempts\n")
	if len(r.Attempts) == 0 {
		p("\nNo attempts yet.\n")
	}
	for i, a := range r.Attempts {
		p("\n### %d. %s\n\n", i+1, Inline(a.Question))
		if a.Topic != "" {
			p("- **Topic:** %s\n", Inline(topic(a.Topic)))
		}
		p("- **Score:** %d/100 (%s)\n", a.Score, Inline(a.Band))
		p("- **Answered:** %s\n", stamp(a.CreatedAt))
		p("- **Attempt:** %s\n", Inline(a.AttemptID))
		p("- **Graded by:** %s\n", graderLine(a.Grader))
		if t := a.Timing; t != nil {
			if t.LimitSeconds > 0 {
				p("- **Time:** %d s of the %d s allowed\n", t.ElapsedSeconds, t.LimitSeconds)
			} else {
				p("- **Time:** %d s\n", t.ElapsedSeconds)
			}
		}
		if !a.Grounded {
			p("- **Not grounded:** no reference in the bank is close to this question; the grade may be unreliable.\n")
		} else if a.GroundedIn == coach.GroundedInDocs {
			p("- **Grounded in the documentation:** no bank question is close; the key points are sentences of the documentation sections cited below, not reviewed by anyone.\n")
		}
		p("\n**Answer:**\n\n%s\n", Fence(a.Answer))

		if len(a.KeyPoints) > 0 {
			p("**Key points:**\n\n")
			for _, j := range a.KeyPoints {
				line := fmt.Sprintf("- **%s:** %s", Inline(j.Status), Inline(j.Text))
				if j.Evidence != "" {
					line += " (evidence: “" + Inline(j.Evidence) + "”)"
				}
				p("%s\n", line)
			}
			p("\n")
		}
		if len(a.Misconceptions) > 0 {
			p("**Misconceptions:**\n\n")
			for _, m := range a.Misconceptions {
				p("- **Claim:** %s **Correction:** %s\n", Inline(m.Claim), Inline(m.Correction))
			}
			p("\n")
		}
		f := a.Feedback
		if f.Summary != "" {
			p("**Feedback:** %s\n\n", Inline(f.Summary))
		}
		if len(f.Strengths)+len(f.Improvements) > 0 {
			for _, s := range f.Strengths {
				p("- **Strength:** %s\n", Inline(s.Text))
			}
			for _, s := range f.Improvements {
				p("- **To improve:** %s\n", Inline(s.Text))
			}
			p("\n")
		}
		if f.ModelAnswer != "" {
			p("**Model answer:** %s\n\n", Inline(f.ModelAnswer))
		}
		writeDocsCited(w, a.References)
		if len(a.FollowUps) > 0 {
			p("**Follow-up questions:**\n\n")
			for k, fu := range a.FollowUps {
				p("%d. **Question:** %s\n", k+1, Inline(fu.Question))
			}
			p("\n")
		}
	}
}

// writeDocsCited lists the documentation sections of refs, each a link to its public address when
// that is a plain http(s) URL; an address that is not is left out rather than written as a link.
func writeDocsCited(w io.Writer, refs []coach.RetrievedReference) {
	first := true
	for _, r := range refs {
		if r.Kind != coach.SourceDocs {
			continue
		}
		if first {
			fmt.Fprintf(w, "**Documentation cited:**\n\n")
			first = false
		}
		title := Inline(orAny(r.Title, r.Source))
		if u := linkURL(r.SourceURL); u != "" {
			fmt.Fprintf(w, "- [%s](%s) (%s)\n", title, u, Inline(r.Source))
		} else {
			fmt.Fprintf(w, "- %s (%s)\n", title, Inline(r.Source))
		}
	}
	if !first {
		fmt.Fprintf(w, "\n")
	}
}

// linkURL returns s as the destination of a Markdown link: an absolute http or https URL with no
// character that could end the destination or open markup, or "" when s is not one.
func linkURL(s string) string {
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || u.User != nil {
		return ""
	}
	out := u.String()
	if strings.ContainsAny(out, " ()<>[]`\"\\\n\r\t") {
		return ""
	}
	return out
}

// graderLine says who graded: the offline grader, or the model and its prompt version.
func graderLine(g coach.GraderInfo) string {
	var line string
	switch {
	case g.Kind == coach.GraderOffline:
		line = "the offline grader (deterministic word matching, no language model)"
	case g.Kind == "":
		line = "unknown grader"
	default:
		line = "language model " + Inline(orAny(g.Model, "(unnamed)"))
		if g.PromptVersion != "" {
			line += ", prompt " + Inline(g.PromptVersion)
		}
	}
	if g.Fallback {
		line += "; the language model could not be used, so the offline grader stood in"
	}
	return line
}

// mdEscaper backslash-escapes the characters that start Markdown or HTML markup inline: emphasis,
// code, links and images, raw HTML and autolinks, entities, table cells, strikethrough. An escaped
// ':' or '@' is a text node of its own in CommonMark parsers, which breaks the bare "scheme://" and
// "name@host" that extended autolinking would turn into links.
var mdEscaper = strings.NewReplacer(
	`\`, `\\`, "`", "\\`", "*", `\*`, "_", `\_`, "[", `\[`, "]", `\]`, "<", `\<`, ">", `\>`,
	"&", `\&`, "|", `\|`, "!", `\!`, "~", `\~`, "#", `\#`, ":", `\:`, "@", `\@`,
)

// bareWWW finds the "www." that extended autolinking links without a scheme.
var bareWWW = regexp.MustCompile(`(?i)\b(www)\.`)

// Inline returns s as inert Markdown text on one line: whitespace runs, newlines included, become
// one space and markup characters are escaped. It must follow other text on its line, so that
// nothing it starts with can open a block.
func Inline(s string) string {
	return bareWWW.ReplaceAllString(mdEscaper.Replace(strings.Join(strings.Fields(s), " ")), `$1\.`)
}

// Fence returns s verbatim as a fenced code block, whose fence is longer than any run of backticks
// in s so that s cannot close it.
func Fence(s string) string {
	s = strings.TrimRight(strings.ReplaceAll(s, "\r\n", "\n"), "\n")
	s = strings.ReplaceAll(s, "\r", "\n")
	longest, run := 0, 0
	for _, c := range s {
		if c == '`' {
			run++
			longest = max(longest, run)
		} else {
			run = 0
		}
	}
	fence := strings.Repeat("`", max(3, longest+1))
	return fence + "text\n" + s + "\n" + fence + "\n"
}

func orAny(s, fallback string) string {
	if s == "" {
		return fallback
	}
	return s
}

func stamp(t time.Time) string {
	return t.UTC().Format("2006-01-02 15:04 UTC")
}
