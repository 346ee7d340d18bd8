package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/interviewcoach/coach/internal/postgres/pgtest"
)

// importRequest posts docs (name → content) to /api/v1/bank/import with key and returns the status
// and the decoded body; headers are name, value pairs.
func importRequest(t *testing.T, base, key string, docs map[string]string, headers ...string) (int, map[string]any) {
	t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	for name, content := range docs {
		w, err := mw.CreateFormFile("file", name)
		if err != nil {
			t.Error(err)
			return 0, nil
		}
		io.WriteString(w, content)
	}
	mw.Close()
	req, _ := http.NewRequest("POST", base+"/api/v1/bank/import", &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Authorization", "Bearer "+key)
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Error(err)
		return 0, nil
	}
	defer resp.Body.Close()
	var out map[string]any
	data, _ := io.ReadAll(resp.Body)
	if err := json.Unmarshal(data, &out); err != nil {
		t.Errorf("import answered %d %s", resp.StatusCode, data)
	}
	return resp.StatusCode, out
}

// Six imports of one document at once: one stores it, the others wait for it and report that it was
// already imported, and nothing is stored twice. Two documents holding one new question at once
// give one question with both references.
func TestConcurrentIdenticalImports(t *testing.T) {
	t.Parallel()
	_, url := pgtest.NewWithURL(t)
	vars := map[string]string{"DATABASE_URL": url, "COACH_ADDR": freeAddr(t), "COACH_LOG_LEVEL": "warn",
		"COACH_ADMIN_KEY": testAdminKey, "COACH_RATE_LIMIT": "off"}
	bankReady(t, url)
	base := serveProgram(t, vars)

	page := "# Caching notes\n\n## What is the per-view cache in Django?\n\nThe cache_page decorator caches a view's response for a number of seconds. It keys the cache by URL.\n\n" +
		"## How do you invalidate a template fragment cache?\n\nCall make_template_fragment_key with the fragment's name and vary_on values, then delete that key from the cache.\n"
	const n = 6
	type result struct {
		code int
		body map[string]any
	}
	results := make([]result, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			code, body := importRequest(t, base, testAdminKey, map[string]string{"caching.md": page})
			results[i] = result{code, body}
		}()
	}
	wg.Wait()
	stored, unchanged := 0, 0
	for _, r := range results {
		if r.code != 200 {
			t.Errorf("import = %d %v", r.code, r.body)
			continue
		}
		switch refs, dups := r.body["references"].(float64), r.body["duplicates"].(float64); {
		case refs == 2 && dups == 0:
			stored++
		case refs == 0 && dups == 2 && strings.HasPrefix(fmt.Sprint(r.body["message"]), "already imported: nothing changed"):
			unchanged++
		default:
			t.Errorf("import summary %v", r.body)
		}
	}
	if stored != 1 || unchanged != n-1 {
		t.Errorf("%d imports stored the page and %d found it imported, want 1 and %d", stored, unchanged, n-1)
	}
	var refs, questions int
	queryRow(t, url, `SELECT count(*), count(DISTINCT question_id) FROM reference_answers r JOIN sources s ON s.id = r.source_id
		WHERE s.name = 'caching.md'`, &refs, &questions)
	if refs != 2 || questions != 2 {
		t.Errorf("stored %d references of %d questions, want 2 of 2", refs, questions)
	}

	// One new question in two documents, imported at once.
	question := "What does the conditional_page decorator do in Django?"
	docs := []string{
		question + "\n\nIt answers 304 Not Modified when the ETag or Last-Modified headers match what the client holds.\n",
		question + "\n\nIt handles conditional GET: the view's response is replaced by 304 when the client's copy is current.\n",
	}
	for i := range docs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if code, body := importRequest(t, base, testAdminKey, map[string]string{fmt.Sprintf("conditional-%d.txt", i): docs[i]}); code != 200 {
				t.Errorf("import %d = %d %v", i, code, body)
			}
		}()
	}
	wg.Wait()
	var ids, answers int
	queryRow(t, url, `SELECT count(DISTINCT q.id), count(r.id) FROM questions q JOIN reference_answers r ON r.question_id = q.id
		WHERE q.text = '`+question+`'`, &ids, &answers)
	if ids != 1 || answers != 2 {
		t.Errorf("%d questions with %d references, want 1 with 2", ids, answers)
	}
}
