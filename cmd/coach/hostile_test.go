//go:build hostile

// The hostile suite (make hostile): abuse a running `coach serve` process on loopback and show that
// it holds. Each test is bounded in requests and time; see scripts/hostile.sh and the README's
// "Deploying" section.
package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/interviewcoach/coach/internal/postgres/pgtest"
)

// hostileAdminKey is the bootstrap admin key of the servers under attack.
const hostileAdminKey = "hostile-admin-key-0123456789"

// child is `coach serve` running as a process of its own, so that its memory can be measured.
type child struct {
	base string
	pid  int
}

// startChild starts `coach serve` with vars as its whole environment and waits until it is ready.
func startChild(t *testing.T, vars map[string]string) *child {
	t.Helper()
	base, pid := startProcess(t, vars)
	return &child{base: base, pid: pid}
}

// memory returns the process's resident set now and at its peak (VmRSS, VmHWM), in MiB.
func (c *child) memory(t *testing.T) (rss, peak float64) {
	t.Helper()
	status, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", c.pid))
	if err != nil {
		t.Fatalf("read the server's memory: %v", err)
	}
	for _, line := range strings.Split(string(status), "\n") {
		name, value, _ := strings.Cut(line, ":")
		kb, err := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(value), " kB"), 64)
		if err != nil {
			continue
		}
		switch name {
		case "VmRSS":
			rss = kb / 1024
		case "VmHWM":
			peak = kb / 1024
		}
	}
	if rss == 0 || peak == 0 {
		t.Fatalf("no VmRSS/VmHWM in /proc/%d/status", c.pid)
	}
	return rss, peak
}

// hostileServer is one server process over a fresh database holding the bundled bank.
func hostileServer(t *testing.T, extra map[string]string) (*child, string) {
	t.Helper()
	_, url := pgtest.NewWithURL(t)
	bankReady(t, url)
	vars := map[string]string{
		"DATABASE_URL": url, "COACH_ADDR": freeAddr(t), "COACH_LOG_LEVEL": "error",
		"COACH_ADMIN_KEY": hostileAdminKey,
	}
	for k, v := range extra {
		vars[k] = v
	}
	return startChild(t, vars), url
}

// send makes one request and returns its status and error message ("" for none).
func send(client *http.Client, method, url, contentType string, body []byte, header ...string) (int, string, error) {
	req, err := http.NewRequest(method, url, bytes.NewReader(body))
	if err != nil {
		return 0, "", err
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := client.Do(req)
	if err != nil {
		return 0, "", err
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return resp.StatusCode, "", err
	}
	var out struct {
		Error struct{ Message string } `json:"error"`
	}
	_ = json.Unmarshal(raw, &out)
	return resp.StatusCode, out.Error.Message, nil
}

// flood sends n requests, at most parallel at once, and returns how many got each status and one
// message per status.
func flood(t *testing.T, n, parallel int, req func(i int) (int, string, error)) (map[int]int, map[int]string) {
	t.Helper()
	var (
		mu       sync.Mutex
		codes    = map[int]int{}
		messages = map[int]string{}
		wg       sync.WaitGroup
		slots    = make(chan struct{}, parallel)
	)
	for i := range n {
		wg.Add(1)
		slots <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-slots }()
			code, msg, err := req(i)
			if err != nil {
				t.Errorf("request %d: %v", i, err)
				return
			}
			mu.Lock()
			codes[code]++
			if _, ok := messages[code]; !ok {
				messages[code] = msg
			}
			mu.Unlock()
		}()
	}
	wg.Wait()
	return codes, messages
}

// searchFloodBoundMiB is the most the server's resident memory may reach, at its peak, while 24
// clients at once send 1 MB search queries (96 in all). Each request holds its body and the decoded
// query (about 2 MB) until it is refused, and the garbage collector runs behind: peaks of 79-107 MiB
// were measured on two busy cores, from 25 MiB at rest. Before queries were capped, 24 of them took
// the server from 21 MB to 4,048 MB.
const searchFloodBoundMiB = 192

// H1: anonymous 1 MB search queries are refused at once, and the server's memory stays bounded.
func TestHostileSearchFlood(t *testing.T) {
	c, _ := hostileServer(t, map[string]string{"COACH_SEARCH_RATE_LIMIT": "100000/min"})
	before, _ := c.memory(t)
	query := strings.Repeat("select_related prefetch ", 1_000_000/24) // 1 MB, one query
	body, _ := json.Marshal(map[string]string{"query": query})
	start := time.Now()
	codes, messages := flood(t, 96, 24, func(int) (int, string, error) {
		return send(http.DefaultClient, "POST", c.base+"/api/v1/search", "application/json", body)
	})
	took := time.Since(start)
	after, peak := c.memory(t)
	t.Logf("96 searches of %d bytes, 24 at once: %v in %v; server RSS %.0f MiB before, %.0f after, peak %.0f (bound %d)",
		len(body), codes, took.Round(time.Millisecond), before, after, peak, searchFloodBoundMiB)
	if codes[400] != 96 || !strings.Contains(messages[400], "2000") {
		t.Errorf("1 MB searches = %v %v, want 96 × 400 naming the 2,000-character limit", codes, messages)
	}
	if peak > searchFloodBoundMiB {
		t.Errorf("the server's memory peaked at %.0f MiB under the flood; the bound is %d MiB", peak, searchFloodBoundMiB)
	}

	// Huge list filters: 8 at once of 900 KB are refused at once, and other requests stay quick.
	filter := strings.Repeat("a", 900_000)
	start = time.Now()
	var quick time.Duration
	done := make(chan struct{})
	go func() {
		defer close(done)
		t0 := time.Now()
		if code, msg, err := send(http.DefaultClient, "GET", c.base+"/api/v1/topics", "", nil); err != nil || code != 200 {
			t.Errorf("topics during the list flood = %d %s %v", code, msg, err)
		}
		quick = time.Since(t0)
	}()
	codes, messages = flood(t, 8, 8, func(int) (int, string, error) {
		return send(http.DefaultClient, "GET", c.base+"/api/v1/questions?q="+filter, "", nil)
	})
	<-done
	took = time.Since(start)
	t.Logf("8 question lists filtered by 900 KB at once: %v in %v; a topics request meanwhile took %v", codes, took.Round(time.Millisecond), quick.Round(time.Millisecond))
	if codes[400] != 8 || !strings.Contains(messages[400], "200") {
		t.Errorf("900 KB list filters = %v %v, want 8 × 400 naming the 200-character limit", codes, messages)
	}
	if took > 5*time.Second || quick > time.Second {
		t.Errorf("900 KB list filters took %v, a topics request meanwhile %v", took, quick)
	}
}

// Session creation is rate limited: 500 anonymous sessions as fast as they come get the burst,
// then 429 naming the limit.
func TestHostileSessionFlood(t *testing.T) {
	c, url := hostileServer(t, nil)
	start := time.Now()
	codes, messages := flood(t, 500, 8, func(int) (int, string, error) {
		return send(http.DefaultClient, "POST", c.base+"/api/v1/sessions", "application/json", []byte(`{"name": "flood"}`))
	})
	t.Logf("500 new sessions from one address, 8 at once: %v in %v", codes, time.Since(start).Round(time.Millisecond))
	var stored int
	queryRow(t, url, `SELECT count(*) FROM sessions`, &stored)
	// The default is 60 an hour with bursts of 30: 30, and one more if a token was refilled.
	if codes[201] < 30 || codes[201] > 31 || codes[429] != 500-codes[201] || !strings.Contains(messages[429], "new sessions") || stored != codes[201] {
		t.Errorf("500 new sessions = %v %v, %d stored; want 30 created and the rest 429", codes, messages, stored)
	}
}

// The same document imported 6 times at once: one import stores it and the others wait for it and
// answer 200 "already imported: nothing changed"; only one that gives up waiting (its deadline) gets
// a 409 naming the real cause, the other import of the same document. Never a 5xx, and the bank
// holds the document's questions once.
func TestHostileConcurrentImports(t *testing.T) {
	c, url := hostileServer(t, nil)
	const doc = `
topics: [{id: hostile, name: "Hostile"}]
questions:
  - id: hostile-one
    topic: hostile
    difficulty: easy
    question: "What does the csrf_exempt decorator do?"
    answer: "It marks a view as exempt from the checks of the CSRF middleware."
  - id: hostile-two
    topic: hostile
    difficulty: easy
    question: "What does cache_page do?"
    answer: "It caches the whole response of a view for a number of seconds."
`
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	fw, err := mw.CreateFormFile("file", "hostile.yaml")
	if err != nil {
		t.Fatal(err)
	}
	fw.Write([]byte(doc))
	mw.Close()
	codes, messages := flood(t, 6, 6, func(int) (int, string, error) {
		return send(http.DefaultClient, "POST", c.base+"/api/v1/bank/import", mw.FormDataContentType(), buf.Bytes(),
			"Authorization", "Bearer "+hostileAdminKey)
	})
	t.Logf("6 identical imports at once: %v %v", codes, messages)
	for code, msg := range messages {
		switch {
		case code == 200:
		case code == 409 && strings.Contains(msg, "the same document is being imported by another request"):
		default:
			t.Errorf("concurrent import = %d %q", code, msg)
		}
	}
	if codes[200] == 0 {
		t.Errorf("no import succeeded: %v %v", codes, messages)
	}
	var n int
	queryRow(t, url, `SELECT count(*) FROM questions WHERE topic_id = 'hostile'`, &n)
	if n != 2 {
		t.Errorf("%d questions of the document stored, want 2", n)
	}
}

// M3: sessions and questions deleted while their answers are being graded by a model lose nothing:
// every grading answers 200 with its grade and a warning naming the deletion, and every attempt is
// stored with the model call already paid for.
func TestHostileDeletesDuringGrading(t *testing.T) {
	_, url := pgtest.NewWithURL(t)
	bankReady(t, url)
	model := newSlowModel(0)
	model.hold.Store(true)
	modelServer := httptest.NewServer(model)
	t.Cleanup(modelServer.Close)
	vars := llmVars(url, freeAddr(t), modelServer.URL)
	vars["COACH_ADMIN_KEY"], vars["COACH_LOG_LEVEL"], vars["COACH_LLM_CONCURRENCY"] = hostileAdminKey, "error", "16"
	c := startChild(t, vars)
	ids := questionIDs(t, c.base, "limit=100")
	const n = 6 // in sessions, and as many anonymous ones at questions deleted meanwhile
	if len(ids) < 2*n {
		t.Fatalf("the bank has %d questions", len(ids))
	}
	type graded struct {
		code int
		body map[string]any
	}
	results := make(chan graded, 2*n)
	var sessions [][2]string
	for i := range 2 * n {
		req := map[string]any{"question_id": ids[i], "answer": "select_related follows foreign keys with a SQL join in one query."}
		var header []string
		if i < n {
			_, s, err := callJSON(t, http.DefaultClient, "POST", c.base+"/api/v1/sessions", `{}`)
			if err != nil || s["token"] == nil {
				t.Fatalf("session: %v %v", s, err)
			}
			sessions = append(sessions, [2]string{s["id"].(string), s["token"].(string)})
			req["session_id"] = s["id"]
			header = []string{"X-Session-Token", s["token"].(string)}
		}
		body, _ := json.Marshal(req)
		go func() {
			r, _ := http.NewRequest("POST", c.base+"/api/v1/grade", bytes.NewReader(body))
			r.Header.Set("Content-Type", "application/json")
			for j := 0; j+1 < len(header); j += 2 {
				r.Header.Set(header[j], header[j+1])
			}
			resp, err := http.DefaultClient.Do(r)
			if err != nil {
				results <- graded{code: 0, body: map[string]any{"error": err.Error()}}
				return
			}
			defer resp.Body.Close()
			var out map[string]any
			_ = json.NewDecoder(resp.Body).Decode(&out)
			results <- graded{code: resp.StatusCode, body: out}
		}()
	}
	for range 2 * n { // every grading is at the model
		select {
		case <-model.received:
		case <-time.After(30 * time.Second):
			t.Fatal("the gradings never reached the model")
		}
	}
	for _, s := range sessions {
		if code, msg, err := send(http.DefaultClient, "DELETE", c.base+"/api/v1/sessions/"+s[0], "", nil, "X-Session-Token", s[1]); err != nil || code != 204 {
			t.Fatalf("delete session = %d %s %v", code, msg, err)
		}
	}
	for _, id := range ids[n : 2*n] {
		if code, msg, err := send(http.DefaultClient, "DELETE", c.base+"/api/v1/questions/"+id, "", nil, "Authorization", "Bearer "+hostileAdminKey); err != nil || code != 204 {
			t.Fatalf("delete question = %d %s %v", code, msg, err)
		}
	}
	close(model.release)
	var answered []string
	for range 2 * n {
		r := <-results
		id, _ := r.body["attempt_id"].(string)
		warnings := fmt.Sprint(r.body["warnings"])
		if r.code != 200 || id == "" || !strings.Contains(warnings, "deleted") {
			t.Errorf("grading during a delete = %d %v", r.code, r.body)
			continue
		}
		answered = append(answered, id)
	}
	var stored, paid int
	var storedIDs []string
	queryRow(t, url, `SELECT count(*), count(*) FILTER (WHERE model_requests = 1), coalesce(array_agg(id ORDER BY id), '{}') FROM attempts`,
		&stored, &paid, &storedIDs)
	slices.Sort(answered)
	if !slices.Equal(answered, storedIDs) || paid != stored {
		t.Errorf("answered attempts %v, stored %v (%d with their model call)", answered, storedIDs, paid)
	}
	t.Logf("%d gradings whose session (%d) or question (%d) was deleted at the model: %d attempts stored, %d model requests",
		2*n, n, n, stored, model.requests.Load())
	if stored != 2*n || model.requests.Load() != 2*n {
		t.Errorf("%d attempts stored for %d model requests, want %d", stored, model.requests.Load(), 2*n)
	}
}
