// Package prompts holds the prompt templates of the language model calls. They are embedded so the binary
// is self-contained, and an operator may override any file from a directory at run time to tune a prompt
// without a rebuild.
//
// Each call NAME has a file NAME.tmpl that defines, with {{define}}, two templates: "NAME.system" and
// "NAME.user", the system and the user message. A file may also define parts that others include:
// followups.tmpl defines "followups", which grade.tmpl includes, so the follow-up instructions can be
// overridden on their own. Templates are executed with the data types of this package (GradeData,
// KeyPointsData), which are the contract an override may rely on.
package prompts

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"text/template"
	"text/template/parse"
)

//go:embed *.tmpl
var embedded embed.FS

// Call names, each rendered from its NAME.tmpl.
const (
	Grade     = "grade"
	KeyPoints = "keypoints"
)

// GradeData is what grade.tmpl and followups.tmpl are executed with.
//
// Every text in it but the ids and weights is untrusted data, fenced in a tag of its own: the question
// (typed by anyone, or imported) in QuestionBoundary, the bank's references, key points, sources and
// related questions (imported from scraped pages) in BankBoundary, the candidate's answer in Boundary.
// The three tags share one random part per call, which is removed from every text beforehand, so no
// text can close its fence and speak outside it.
type GradeData struct {
	Question   string
	References []Reference
	// Related are texts of other bank questions, which the model may adapt into follow-ups.
	Related []string
	// Answer is the candidate's answer, already stripped of any occurrence of Boundary.
	Answer string
	// Boundary names the tag that fences the answer, such as "answer-3f9a0c12ab34".
	Boundary string
	// QuestionBoundary and BankBoundary name the tags that fence the question and the rubric, such as
	// "question-3f9a0c12ab34" and "bank-3f9a0c12ab34".
	QuestionBoundary, BankBoundary string
	// FollowUps is how many follow-up questions are wanted.
	FollowUps int
}

// Reference is a reference answer as shown to the model, under a short id such as "R1".
type Reference struct {
	ID        string
	Source    string
	Text      string
	KeyPoints []KeyPoint
}

// KeyPoint is a rubric statement as shown to the model, under a short id such as "K1".
type KeyPoint struct {
	ID   string
	Text string
	// Weight is "core" or "detail" (see coach.WeightCore and coach.WeightDetail).
	Weight string
}

// KeyPointsData is what keypoints.tmpl is executed with.
type KeyPointsData struct {
	Question string
	// Answer is the reference answer to split, fenced by Boundary like a candidate's answer, and
	// Question is fenced by QuestionBoundary: both come from imported pages.
	Answer                     string
	Boundary, QuestionBoundary string
	// Min and Max bound the number of key points wanted.
	Min, Max int
}

// samples are executed once at load time, so an override that names a field the data lacks fails at
// start-up rather than on the first grading. Every list holds one element so range bodies run too.
var samples = map[string]any{
	Grade: GradeData{
		References: []Reference{{KeyPoints: []KeyPoint{{}}}},
		Related:    []string{""},
		FollowUps:  1,
	},
	KeyPoints: KeyPointsData{Min: 1, Max: 1},
}

// Set is a parsed set of prompt templates. It is safe for concurrent use.
type Set struct {
	tmpl *template.Template
	// versions maps a file's name without ".tmpl" to the hash of its text and of the files it includes.
	versions map[string]string
}

// Load parses the embedded templates, each replaced by the same-named file of dir when dir is not empty
// and holds one. A .tmpl file of dir that matches no embedded template is an error, since it would most
// likely be a misspelt override that silently does nothing.
func Load(dir string) (*Set, error) {
	sources := make(map[string]string)
	entries, err := fs.ReadDir(embedded, ".")
	if err != nil {
		return nil, fmt.Errorf("prompts: read embedded: %w", err)
	}
	for _, e := range entries {
		b, err := fs.ReadFile(embedded, e.Name())
		if err != nil {
			return nil, fmt.Errorf("prompts: read embedded: %w", err)
		}
		sources[e.Name()] = string(b)
	}

	if dir != "" {
		entries, err := os.ReadDir(dir)
		if err != nil {
			return nil, fmt.Errorf("prompts: read override dir: %w", err)
		}
		for _, e := range entries {
			name := e.Name()
			if e.IsDir() || !strings.HasSuffix(name, ".tmpl") {
				continue
			}
			if _, ok := sources[name]; !ok {
				return nil, fmt.Errorf("prompts: %s: no such template to override (have %s)",
					filepath.Join(dir, name), strings.Join(slices.Sorted(maps.Keys(sources)), ", "))
			}
			b, err := os.ReadFile(filepath.Join(dir, name))
			if err != nil {
				return nil, fmt.Errorf("prompts: read override: %w", err)
			}
			sources[name] = string(b)
		}
	}
	return parseSet(sources)
}

// parseSet parses every file into one template set, so an overridden part is what the other files include.
func parseSet(sources map[string]string) (*Set, error) {
	files := slices.Sorted(maps.Keys(sources))
	root := template.New("").Option("missingkey=error")
	definedIn := make(map[string]string) // template name → file defining it

	for _, file := range files {
		one, err := template.New(file).Parse(sources[file])
		if err != nil {
			return nil, fmt.Errorf("prompts: %w", err)
		}
		for _, t := range one.Templates() {
			// The file's own top-level template holds only comments and blank lines between the defines.
			if t.Name() == file || t.Tree == nil {
				continue
			}
			if other, dup := definedIn[t.Name()]; dup {
				return nil, fmt.Errorf("prompts: %s: template %q is also defined in %s", file, t.Name(), other)
			}
			definedIn[t.Name()] = file
			if _, err := root.AddParseTree(t.Name(), t.Tree); err != nil {
				return nil, fmt.Errorf("prompts: %s: %w", file, err)
			}
		}
	}

	includes := make(map[string][]string) // file → files it includes
	for name, file := range definedIn {
		for _, ref := range templateRefs(root.Lookup(name).Tree.Root, nil) {
			refFile, ok := definedIn[ref]
			if !ok {
				return nil, fmt.Errorf("prompts: %s: template %q includes undefined template %q", file, name, ref)
			}
			includes[file] = append(includes[file], refFile)
		}
	}

	s := &Set{tmpl: root, versions: make(map[string]string)}
	for _, file := range files {
		s.versions[strings.TrimSuffix(file, ".tmpl")] = version(file, sources, includes)
	}

	for call, sample := range samples {
		for _, part := range []string{".system", ".user"} {
			if root.Lookup(call+part) == nil {
				return nil, fmt.Errorf("prompts: %s.tmpl must define %q", call, call+part)
			}
		}
		if _, _, err := s.Render(call, sample); err != nil {
			return nil, err
		}
	}
	return s, nil
}

// version hashes file and every file it includes, directly or not, in name order.
func version(file string, sources map[string]string, includes map[string][]string) string {
	seen := map[string]bool{file: true}
	queue := []string{file}
	for len(queue) > 0 {
		f := queue[0]
		queue = queue[1:]
		for _, inc := range includes[f] {
			if !seen[inc] {
				seen[inc] = true
				queue = append(queue, inc)
			}
		}
	}
	h := sha256.New()
	for _, f := range slices.Sorted(maps.Keys(seen)) {
		fmt.Fprintf(h, "%s\x00%s\x00", f, sources[f])
	}
	return hex.EncodeToString(h.Sum(nil))[:12]
}

// templateRefs appends the names of the templates that node includes with {{template}}.
func templateRefs(node parse.Node, refs []string) []string {
	switch n := node.(type) {
	case *parse.ListNode:
		if n == nil {
			return refs
		}
		for _, c := range n.Nodes {
			refs = templateRefs(c, refs)
		}
	case *parse.TemplateNode:
		refs = append(refs, n.Name)
	case *parse.IfNode:
		refs = templateRefs(n.ElseList, templateRefs(n.List, refs))
	case *parse.RangeNode:
		refs = templateRefs(n.ElseList, templateRefs(n.List, refs))
	case *parse.WithNode:
		refs = templateRefs(n.ElseList, templateRefs(n.List, refs))
	}
	return refs
}

// Version returns the first 12 hex digits of the SHA-256 of the file name.tmpl and of the files it
// includes, or "" for an unknown name. Attempts record it so a grade can be traced to the prompt that
// produced it; the version of "grade" changes when followups.tmpl does.
func (s *Set) Version(name string) string {
	return s.versions[name]
}

// Render executes the templates name.system and name.user with data and returns both messages, trimmed.
func (s *Set) Render(name string, data any) (system, user string, err error) {
	if system, err = s.execute(name+".system", data); err != nil {
		return "", "", err
	}
	if user, err = s.execute(name+".user", data); err != nil {
		return "", "", err
	}
	return system, user, nil
}

func (s *Set) execute(name string, data any) (string, error) {
	t := s.tmpl.Lookup(name)
	if t == nil {
		return "", fmt.Errorf("prompts: no template %q", name)
	}
	var b strings.Builder
	if err := t.Execute(&b, data); err != nil {
		return "", fmt.Errorf("prompts: render %s: %w", name, err)
	}
	return strings.TrimSpace(b.String()), nil
}
