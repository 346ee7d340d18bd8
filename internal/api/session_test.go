package api_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"math"
	"net/http"
	"net/http/httptest"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/interviewcoach/coach/internal/api"
	"github.com/interviewcoach/coach/internal/bank"
	"github.com/interviewcoach/coach/internal/coach"
	"github.com/interviewcoach/coach/internal/grading"
	"github.com/interviewcoach/coach/internal/ingest"
	"github.com/interviewcoach/coach/internal/localembed"
	"github.com/interviewcoach/coach/internal/offline"
	"github.com/interviewcoach/coach/internal/postgres/pgtest"
	"github.com/interviewcoach/coach/internal/practice"
	"github.com/interviewcoach/coach/internal/retrieve"
)

var _ api.Practice = (*practice.Service)(nil)

// dontKnow is an answer the guards cap at a score of 5.
const dontKnow = "I don't know."

// sessionAPI is the whole API over the bundled bank, graded offline, with practice sessions.
type sessionAPI struct {
	h     http.Handler
	dbURL string
	logs  *syncBuffer
}

// newSessionAPI serves the bundled bank; grader, when not nil, stands in for the language model.
func newSessionAPI(t *testing.T, grader coach.Grader) *sessionAPI {
	t.Helper()
	return newBankAPI(t, grader, bank.Django())
}

// newBankAPI is newSessionAPI serving the bank file data instead.
func newBankAPI(t *testing.T, grader coach.Grader, data []byte) *sessionAPI {
	t.Helper()
	db, url := pgtest.NewWithURL(t)
	embedder := localembed.New(localembed.DefaultDimensions)
	if _, err := (&ingest.Importer{Store: db, Embedder: embedder}).Import(context.Background(), bank.Name, data, nil); err != nil {
		t.Fatal(err)
	}
	off := offline.New(embedder)
	if grader == nil {
		grader = off
	}
	logs := &syncBuffer{}
	s := &api.Server{
		Bank: db, Health: db, Searcher: &retrieve.Retriever{Store: db, Embedder: embedder},
		Grading:  &grading.Service{Store: db, Embedder: embedder, Grader: grader, Offline: off, MaxAnswerChars: 6000},
		Practice: &practice.Service{Store: db},
		Logger:   slog.New(slog.NewTextHandler(logs, nil)),
	}
	return &sessionAPI{h: s.Handler(), dbURL: url, logs: logs}
}

type response struct {
	code   int
	header http.Header
	body   []byte
}

// object decodes the body as a JSON object.
func (r response) object(t *testing.T) map[string]any {
	t.Helper()
	var out map[string]any
	if err := json.Unmarshal(r.body, &out); err != nil {
		t.Fatalf("response %d is not a JSON object: %q", r.code, r.body)
	}
	return out
}

// errorCode is the code of an error response.
func (r response) errorCode(t *testing.T) string {
	t.Helper()
	return errorCode(t, r.object(t))
}

// call sends a request with the session token in the header when token is not "".
func (a *sessionAPI) call(t *testing.T, method, path, token, body string) response {
	t.Helper()
	req := httptest.NewRequest(method, path, strings.NewReader(body))
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set(api.TokenHeader, token)
	}
	rec := httptest.NewRecorder()
	a.h.ServeHTTP(rec, req)
	return response{code: rec.Code, header: rec.Header(), body: rec.Body.Bytes()}
}

type session struct{ id, token string }

func (a *sessionAPI) createSession(t *testing.T, body string) session {
	t.Helper()
	r := a.call(t, "POST", "/api/v1/sessions", "", body)
	if r.code != http.StatusCreated {
		t.Fatalf("create session %s = %d %s", body, r.code, r.body)
	}
	out := r.object(t)
	return session{id: out["id"].(string), token: out["token"].(string)}
}

func (a *sessionAPI) next(t *testing.T, s session) map[string]any {
	t.Helper()
	r := a.call(t, "GET", "/api/v1/sessions/"+s.id+"/next", s.token, "")
	if r.code != 200 {
		t.Fatalf("next = %d %s", r.code, r.body)
	}
	return r.object(t)
}

// answer grades answer to question id in session s and returns the attempt.
func (a *sessionAPI) answer(t *testing.T, s session, id, answer string) map[string]any {
	t.Helper()
	body, _ := json.Marshal(map[string]string{"question_id": id, "answer": answer, "session_id": s.id})
	r := a.call(t, "POST", "/api/v1/grade", s.token, string(body))
	if r.code != 200 {
		t.Fatalf("grade %s = %d %s", id, r.code, r.body)
	}
	return r.object(t)
}

// strongAnswer is every key point of question id, which the offline grader finds all covered.
func (a *sessionAPI) strongAnswer(t *testing.T, id string) string {
	t.Helper()
	r := a.call(t, "GET", "/api/v1/questions/"+id, "", "")
	var q coach.Question
	if err := json.Unmarshal(r.body, &q); err != nil || r.code != 200 {
		t.Fatalf("question %s = %d %s", id, r.code, r.body)
	}
	var points []string
	for _, ref := range q.References {
		for _, kp := range ref.KeyPoints {
			points = append(points, strings.TrimSuffix(kp.Text, ".")+".")
		}
	}
	return strings.Join(points, " ")
}

// questionIDs lists the ids of the bank's questions of topic and difficulty.
func (a *sessionAPI) questionIDs(t *testing.T, topic, difficulty string) []string {
	t.Helper()
	r := a.call(t, "GET", "/api/v1/questions?limit=100&topic="+topic+"&difficulty="+difficulty, "", "")
	var page struct{ Questions []coach.Question }
	if err := json.Unmarshal(r.body, &page); err != nil || r.code != 200 {
		t.Fatalf("questions = %d %s", r.code, r.body)
	}
	var ids []string
	for _, q := range page.Questions {
		ids = append(ids, q.ID)
	}
	return ids
}

type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func TestCreateSession(t *testing.T) {
	t.Parallel()
	a := newSessionAPI(t, nil)
	tests := []struct {
		name, body string
		status     int
		message    string // part of the error message
	}{
		{"no body", "", 201, ""},
		{"empty object", `{}`, 201, ""},
		{"empty fields, as forms send them", `{"topic": "", "difficulty": "", "name": ""}`, 201, ""},
		{"every field", `{"topic": "orm", "difficulty": "hard", "name": "Ada"}`, 201, ""},
		{"unknown topic", `{"topic": "cooking"}`, 400, `"cooking"`},
		{"bad difficulty", `{"difficulty": "extreme"}`, 400, "difficulty"},
		{"no question matches", `{"topic": "forms", "difficulty": "hard"}`, 400, "no question matches"},
		{"unknown field", `{"topics": "orm"}`, 400, "topics"},
		{"a plan", `{"topic_ids": ["orm", "security"], "difficulty": "hard", "question_count": 5, "answer_seconds": 120}`, 201, ""},
		{"topic and topic_ids", `{"topic": "orm", "topic_ids": ["security"]}`, 400, "not both"},
		{"unknown topic of several", `{"topic_ids": ["orm", "cooking"]}`, 400, `"cooking"`},
		{"too many questions", `{"question_count": 101}`, 400, "question_count"},
		{"negative time", `{"answer_seconds": -5}`, 400, "answer_seconds"},
		{"name too long", `{"name": "` + strings.Repeat("n", 101) + `"}`, 400, "name"},
		{"not JSON", `{"topic": `, 400, "JSON"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r := a.call(t, "POST", "/api/v1/sessions", "", tt.body)
			body := r.object(t)
			if r.code != tt.status {
				t.Fatalf("= %d %v, want %d", r.code, body, tt.status)
			}
			if tt.status != 201 {
				if r.errorCode(t) != "invalid" || !strings.Contains(fmt.Sprint(body["error"]), tt.message) {
					t.Errorf("error = %v, want invalid naming %s", body, tt.message)
				}
				return
			}
			keys := slices.Sorted(func(yield func(string) bool) {
				for k := range body {
					if !yield(k) {
						return
					}
				}
			})
			if want := []string{"answer_seconds", "created_at", "difficulty", "ended_at", "id", "name", "question_count", "token", "topic", "topic_ids"}; !slices.Equal(keys, want) {
				t.Errorf("fields = %v, want %v", keys, want)
			}
			token, _ := body["token"].(string)
			if raw, err := base64.RawURLEncoding.DecodeString(token); err != nil || len(raw) < 16 {
				t.Errorf("token %q is not base64url of at least 128 bits", token)
			}
			if id, _ := body["id"].(string); !strings.HasPrefix(id, "s-") {
				t.Errorf("id = %q", id)
			}
			if r.header.Get("Cache-Control") != "no-store" {
				t.Errorf("Cache-Control = %q", r.header.Get("Cache-Control"))
			}
		})
	}
	r := a.call(t, "POST", "/api/v1/sessions", "", `{"topic": "orm", "difficulty": "hard", "name": " Ada "}`)
	if body := r.object(t); body["topic"] != "orm" || body["difficulty"] != "hard" || body["name"] != "Ada" {
		t.Errorf("session = %v", body)
	}
}

// TestSessionTokens checks every session endpoint without a token (401), with a wrong one and with
// another session's (403, and the same for a session that does not exist), and that no token ends
// in the logs.
func TestSessionTokens(t *testing.T) {
	t.Parallel()
	a := newSessionAPI(t, nil)
	mine := a.createSession(t, `{"topic": "security", "name": "Mine"}`)
	other := a.createSession(t, `{"topic": "security", "name": "Other"}`)
	q := a.next(t, mine)["question"].(map[string]any)["id"].(string)
	a.answer(t, mine, q, "A secret answer of mine about tokens and cookies.")

	gradeBody := func(s session) string {
		return `{"question_id": "` + q + `", "answer": "Another answer about tokens.", "session_id": "` + s.id + `"}`
	}
	type endpoint struct{ name, method, path, body string }
	endpoints := func(s session) []endpoint {
		return []endpoint{
			{"summary", "GET", "/api/v1/sessions/" + s.id, ""},
			{"next", "GET", "/api/v1/sessions/" + s.id + "/next", ""},
			{"report", "GET", "/api/v1/sessions/" + s.id + "/report", ""},
			{"markdown report", "GET", "/api/v1/sessions/" + s.id + "/report?format=md", ""},
			{"grade", "POST", "/api/v1/grade", gradeBody(s)},
			{"grade, streamed", "POST", "/api/v1/grade?stream=true", gradeBody(s)},
			{"followups", "POST", "/api/v1/followups", gradeBody(s)},
		}
	}
	tests := []struct {
		name   string
		token  string
		status int
		code   string
	}{
		{"no token", "", 401, "unauthorized"},
		{"a wrong token", wrongToken(mine.token), 403, "forbidden"},
		{"another session's token", other.token, 403, "forbidden"},
	}
	for _, tt := range tests {
		for _, e := range endpoints(mine) {
			r := a.call(t, e.method, e.path, tt.token, e.body)
			if r.code != tt.status || r.errorCode(t) != tt.code {
				t.Errorf("%s with %s = %d %s, want %d %s", e.name, tt.name, r.code, r.body, tt.status, tt.code)
			}
			if bytes.Contains(r.body, []byte("secret answer")) || bytes.Contains(r.body, []byte("Mine")) {
				t.Errorf("%s with %s leaks the session: %s", e.name, tt.name, r.body)
			}
		}
	}
	// A session that does not exist answers like a wrong token, so ids cannot be probed.
	ghost := session{id: "s-000000000000000000000000", token: mine.token}
	for _, e := range endpoints(ghost) {
		if r := a.call(t, e.method, e.path, ghost.token, e.body); r.code != 403 || r.errorCode(t) != "forbidden" {
			t.Errorf("%s of a session that does not exist = %d %s, want 403", e.name, r.code, r.body)
		}
	}
	// GET requests may carry the token in the query, for download links; POST requests may not.
	for _, e := range endpoints(mine) {
		path := e.path + map[bool]string{true: "&", false: "?"}[strings.Contains(e.path, "?")] + "token=" + mine.token
		r := a.call(t, e.method, path, "", e.body)
		if want := map[string]int{"GET": 200, "POST": 401}[e.method]; r.code != want {
			t.Errorf("%s with ?token= = %d %s, want %d", e.name, r.code, r.body, want)
		}
	}
	// Nothing above added an attempt to either session.
	for _, s := range []session{mine, other} {
		r := a.call(t, "GET", "/api/v1/sessions/"+s.id, s.token, "")
		if n := len(r.object(t)["history"].([]any)); n != map[session]int{mine: 1, other: 0}[s] {
			t.Errorf("session %s has %d attempts", s.id, n)
		}
	}
	if logs := a.logs.String(); strings.Contains(logs, mine.token) || !strings.Contains(logs, "token=REDACTED") {
		t.Errorf("a token reached the logs, or query tokens were not logged redacted:\n%s", logs)
	}
}

// TestNextQuestionOrder walks a session through its unseen questions and then the review schedule.
func TestNextQuestionOrder(t *testing.T) {
	t.Parallel()
	a := newSessionAPI(t, nil)
	candidates := a.questionIDs(t, "orm", "hard")
	if len(candidates) < 3 {
		t.Fatalf("the bundled bank has %d hard orm questions; this test needs 3 or more", len(candidates))
	}
	s := a.createSession(t, `{"topic": "orm", "difficulty": "hard"}`)
	var asked []string
	ask := func(reason string) (string, map[string]any) {
		t.Helper()
		next := a.next(t, s)
		if again := a.next(t, s); !reflect.DeepEqual(again, next) {
			t.Errorf("asking twice without answering changed the question: %v then %v", next, again)
		}
		q := next["question"].(map[string]any)
		id := q["id"].(string)
		if q["topic"] != "orm" || q["difficulty"] != "hard" || q["text"] == "" || q["tags"] == nil || !slices.Contains(candidates, id) {
			t.Errorf("question outside the session's filter: %v", q)
		}
		if next["reason"] != reason {
			t.Errorf("after %v: %s for %q, want %q", asked, id, next["reason"], reason)
		}
		if len(asked) > 0 && asked[len(asked)-1] == id {
			t.Errorf("after %v: %s twice in a row", asked, id)
		}
		asked = append(asked, id)
		return id, next
	}
	answer := func(id, answer string, strong bool) {
		t.Helper()
		score := a.answer(t, s, id, answer)["score"].(float64)
		if strong && score < practice.RetireScore || !strong && score >= practice.WeakScore {
			t.Fatalf("%s scored %v: the test's answers no longer land where it needs them", id, score)
		}
	}

	// The first answered badly: after two other attempts it is due, and comes back before the
	// questions not yet seen, with what it missed.
	weak, _ := ask(coach.ReasonUnseen)
	answer(weak, dontKnow, false)
	for range 2 {
		id, next := ask(coach.ReasonUnseen)
		if len(next["review_key_points"].([]any)) != 0 {
			t.Errorf("unseen question with key points to review: %v", next)
		}
		answer(id, a.strongAnswer(t, id), true)
	}
	id, next := ask(coach.ReasonReview)
	if id != weak || len(next["review_key_points"].([]any)) == 0 {
		t.Fatalf("review = %v, want %s with its missed key points", next, weak)
	}
	kp := next["review_key_points"].([]any)[0].(map[string]any)
	if kp["id"] == "" || kp["text"] == "" {
		t.Errorf("review key point = %v", kp)
	}
	// Covered this time: it leaves the rotation, and the unseen questions follow, each once.
	answer(weak, a.strongAnswer(t, weak), true)
	for len(slices.Compact(slices.Sorted(slices.Values(asked)))) < len(candidates) {
		id, _ := ask(coach.ReasonUnseen)
		answer(id, a.strongAnswer(t, id), true)
	}
	if seen := slices.Compact(slices.Sorted(slices.Values(asked))); !slices.Equal(seen, candidates) {
		t.Fatalf("questions asked %v, want each of %v", asked, candidates)
	}
	// Nothing due and nothing unseen: the question seen longest ago.
	if id, _ := ask(coach.ReasonReview); id != asked[1] {
		t.Errorf("with nothing due: %s, want the question seen longest ago, %s", id, asked[1])
	}
}

// TestWeakAnswerReturnsInAnyTopic checks that in a session of every topic, where unseen questions
// never run out, a weak answer comes back as a review within five questions, without the key points
// a later answer covered.
func TestWeakAnswerReturnsInAnyTopic(t *testing.T) {
	t.Parallel()
	a := newSessionAPI(t, nil)
	s := a.createSession(t, `{}`)
	first := a.next(t, s)["question"].(map[string]any)["id"].(string)
	if score := a.answer(t, s, first, dontKnow)["score"].(float64); score >= practice.WeakScore {
		t.Fatalf("%q scored %v, not a weak answer", dontKnow, score)
	}
	for n := 2; ; n++ {
		next := a.next(t, s)
		id := next["question"].(map[string]any)["id"].(string)
		if id == first {
			if next["reason"] != coach.ReasonReview || len(next["review_key_points"].([]any)) == 0 {
				t.Errorf("the weak answer came back as %v", next)
			}
			if n > 5 {
				t.Errorf("the weak answer came back as question %d, want within five", n)
			}
			break
		}
		if n > 5 {
			t.Fatalf("question %d is %s, and the weak answer %s has not come back", n, id, first)
		}
		a.answer(t, s, id, a.strongAnswer(t, id))
	}
}

func TestNextQuestionEdges(t *testing.T) {
	t.Parallel()
	a := newSessionAPI(t, nil)

	// A filter of one question asks it every time and says so.
	var topic string
	for _, candidate := range []string{"views", "auth", "basics", "deployment", "python", "security", "templates", "testing"} {
		if len(a.questionIDs(t, candidate, "hard")) == 1 {
			topic = candidate
			break
		}
	}
	if topic == "" {
		t.Fatal("the bundled bank has no topic with exactly one hard question")
	}
	only := a.createSession(t, `{"topic": "`+topic+`", "difficulty": "hard"}`)
	for i := range 2 {
		next := a.next(t, only)
		if next["reason"] != coach.ReasonOnly {
			t.Errorf("round %d: reason %v, want only", i, next["reason"])
		}
		if review := next["review_key_points"].([]any); (i == 0) != (len(review) == 0) {
			t.Errorf("round %d: review key points %v", i, review)
		}
		a.answer(t, only, next["question"].(map[string]any)["id"].(string), dontKnow)
	}

	// 404 only when the filter matches no question, which takes the bank losing them.
	s := a.createSession(t, `{"topic": "orm", "difficulty": "hard"}`)
	conn, err := pgx.Connect(context.Background(), a.dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	if _, err := conn.Exec(context.Background(), `DELETE FROM questions WHERE topic_id = 'orm' AND difficulty = 'hard'`); err != nil {
		t.Fatal(err)
	}
	r := a.call(t, "GET", "/api/v1/sessions/"+s.id+"/next", s.token, "")
	if r.code != 404 || r.errorCode(t) != "not_found" {
		t.Errorf("next with no question = %d %s", r.code, r.body)
	}
}

// TestSessionSummary grades a few answers in a session and checks its history and per-topic figures.
func TestSessionSummary(t *testing.T) {
	t.Parallel()
	a := newSessionAPI(t, nil)
	s := a.createSession(t, `{"name": "Ada"}`)
	orm := a.questionIDs(t, "orm", "hard")
	security := a.questionIDs(t, "security", "easy")
	plan := []struct{ id, topic, answer string }{
		{orm[0], "orm", dontKnow},
		{security[0], "security", a.strongAnswer(t, security[0])},
		{orm[1], "orm", a.strongAnswer(t, orm[1])},
		{orm[0], "orm", a.strongAnswer(t, orm[0])},
	}
	var attempts []map[string]any
	for _, p := range plan {
		attempts = append(attempts, a.answer(t, s, p.id, p.answer))
	}
	// A typed question far from the bank: the offline grader gives no grade, and the history gains
	// nothing.
	body, _ := json.Marshal(map[string]string{"question": "What is the airspeed velocity of an unladen swallow?",
		"answer": "About eleven metres per second.", "session_id": s.id})
	if r := a.call(t, "POST", "/api/v1/grade", s.token, string(body)); r.code != 422 || r.errorCode(t) != coach.ENOREFERENCE {
		t.Fatalf("typed question = %d %s", r.code, r.body)
	}
	r := a.call(t, "GET", "/api/v1/sessions/"+s.id, s.token, "")
	if r.code != 200 {
		t.Fatalf("summary = %d %s", r.code, r.body)
	}
	var sum struct {
		ID, Name, Topic, Difficulty string
		CreatedAt                   time.Time `json:"created_at"`
		Answers                     int
		MeanScore                   float64 `json:"mean_score"`
		History                     []map[string]any
		Topics                      []struct {
			Topic            string
			Attempts         int
			MeanScore        float64 `json:"mean_score"`
			Trend            float64
			WeakestKeyPoints []struct {
				ID, Text string
				Misses   int
			} `json:"weakest_key_points"`
		}
	}
	if err := json.Unmarshal(r.body, &sum); err != nil {
		t.Fatal(err)
	}
	if sum.ID != s.id || sum.Name != "Ada" || sum.Topic != "" || sum.Difficulty != "" || sum.CreatedAt.IsZero() {
		t.Errorf("session = %+v", sum)
	}
	if len(sum.History) != len(plan) {
		t.Fatalf("history = %v", sum.History)
	}
	for i, p := range plan {
		h, want := sum.History[i], attempts[i]
		for _, key := range []string{"attempt_id", "question_id", "question", "score", "band", "created_at"} {
			if h[key] != want[key] {
				t.Errorf("history[%d].%s = %v, want %v", i, key, h[key], want[key])
			}
		}
		if h["topic"] != p.topic {
			t.Errorf("history[%d].topic = %v, want %s", i, h["topic"], p.topic)
		}
	}
	score := func(i int) float64 { return attempts[i]["score"].(float64) }
	total := 0.0
	for _, h := range sum.History {
		total += h["score"].(float64)
	}
	// The typed question was refused, so the session holds the plan's answers only.
	if n := len(plan); sum.Answers != n || sum.MeanScore != math.Round(total/float64(n)*10)/10 {
		t.Errorf("answers %d, mean score %v; want %d and the mean of %v", sum.Answers, sum.MeanScore, n, sum.History)
	}
	if len(sum.Topics) != 2 || sum.Topics[0].Topic != "orm" || sum.Topics[1].Topic != "security" {
		t.Fatalf("topics = %+v", sum.Topics)
	}
	o := sum.Topics[0]
	wantMean := math.Round((score(0)+score(2)+score(3))/3*10) / 10
	if o.Attempts != 3 || o.MeanScore != wantMean || o.Trend != score(3)-score(0) {
		t.Errorf("orm = %+v; want mean %v and trend %v", o, wantMean, score(3)-score(0))
	}
	// The most missed key points of the orm attempts, counted here from the grades themselves.
	type misses struct {
		ID, Text string
		Misses   int
	}
	var want []misses
	// A key point whose latest judgement is covered is no longer to review.
	latest := map[any]any{}
	for _, i := range []int{0, 2, 3} {
		for _, kp := range attempts[i]["key_points"].([]any) {
			latest[kp.(map[string]any)["id"]] = kp.(map[string]any)["status"]
		}
	}
	for _, i := range []int{0, 2, 3} {
		for _, kp := range attempts[i]["key_points"].([]any) {
			kp := kp.(map[string]any)
			if kp["status"] == coach.StatusCovered || latest[kp["id"]] == coach.StatusCovered {
				continue
			}
			if k := slices.IndexFunc(want, func(m misses) bool { return m.ID == kp["id"] }); k >= 0 {
				want[k].Misses++
			} else {
				want = append(want, misses{kp["id"].(string), kp["text"].(string), 1})
			}
		}
	}
	slices.SortStableFunc(want, func(a, b misses) int { return b.Misses - a.Misses })
	want = want[:min(len(want), practice.MaxWeakKeyPoints)]
	var got []misses
	for _, kp := range o.WeakestKeyPoints {
		got = append(got, misses(kp))
	}
	if !slices.Equal(got, want) || o.WeakestKeyPoints == nil {
		t.Errorf("weakest orm key points = %+v, want %+v", got, want)
	}
	if sec := sum.Topics[1]; sec.Attempts != 1 || sec.MeanScore != score(1) || sec.Trend != 0 {
		t.Errorf("security = %+v", sec)
	}

	// The strongest key points and the questions to review next, as the grades themselves tell.
	var extra struct {
		Strongest []struct {
			ID, Text string
			Covers   int
		} `json:"strongest_key_points"`
		ReviewNext []map[string]any `json:"review_next"`
	}
	if err := json.Unmarshal(r.body, &extra); err != nil {
		t.Fatal(err)
	}
	latest, covers := map[any]any{}, map[any]int{}
	for _, at := range attempts {
		for _, kp := range at["key_points"].([]any) {
			kp := kp.(map[string]any)
			latest[kp["id"]] = kp["status"]
			if kp["status"] == coach.StatusCovered {
				covers[kp["id"]]++
			}
		}
	}
	if len(extra.Strongest) == 0 || len(extra.Strongest) > practice.MaxWeakKeyPoints {
		t.Errorf("strongest key points = %+v after %d strong answers", extra.Strongest, 3)
	}
	for i, kp := range extra.Strongest {
		if latest[kp.ID] != coach.StatusCovered || covers[kp.ID] != kp.Covers || (i > 0 && kp.Covers > extra.Strongest[i-1].Covers) {
			t.Errorf("strongest[%d] = %+v: latest %v, covered %d times", i, kp, latest[kp.ID], covers[kp.ID])
		}
	}
	// Each question's latest answer: orm[0] was answered again, strongly.
	last := map[any]float64{}
	for _, at := range attempts {
		last[at["question_id"]] = at["score"].(float64)
	}
	var wantReview []any
	for _, q := range []string{orm[0], security[0], orm[1]} {
		if last[q] < 85 {
			wantReview = append(wantReview, q)
		}
	}
	var gotReview []any
	for _, h := range extra.ReviewNext {
		gotReview = append(gotReview, h["question_id"])
	}
	if extra.ReviewNext == nil || len(gotReview) != len(wantReview) {
		t.Errorf("review next = %v, want the questions %v", extra.ReviewNext, wantReview)
	}
}

func TestSessionReport(t *testing.T) {
	t.Parallel()
	a := newSessionAPI(t, nil)
	s := a.createSession(t, `{"name": "<b>Ada</b>", "topic": "security"}`)
	q := a.next(t, s)["question"].(map[string]any)["id"].(string)
	hostile := "Django checks a CSRF token.\n```\n<script>alert(document.cookie)</script>\n[click](javascript:alert(1))"
	graded := a.answer(t, s, q, hostile)

	r := a.call(t, "GET", "/api/v1/sessions/"+s.id+"/report", s.token, "")
	if r.code != 200 || !strings.HasPrefix(r.header.Get("Content-Type"), "application/json") {
		t.Fatalf("json report = %d %v %s", r.code, r.header, r.body)
	}
	var report struct {
		ID       string
		Name     string
		Attempts []map[string]any
		Topics   []map[string]any
	}
	if err := json.Unmarshal(r.body, &report); err != nil {
		t.Fatal(err)
	}
	if report.ID != s.id || report.Name != "<b>Ada</b>" || len(report.Attempts) != 1 || len(report.Topics) != 1 {
		t.Fatalf("report = %s", r.body)
	}
	got := report.Attempts[0]
	for _, key := range []string{"attempt_id", "question_id", "question", "answer", "score", "band", "key_points",
		"misconceptions", "feedback", "followups", "created_at"} {
		if !reflect.DeepEqual(got[key], graded[key]) {
			t.Errorf("report attempt %s = %v, want %v", key, got[key], graded[key])
		}
	}
	if g, _ := got["grader"].(map[string]any); g == nil || g["kind"] != coach.GraderOffline {
		t.Errorf("report attempt grader = %v, want the offline grader", got["grader"])
	}
	if got["topic"] != "security" || len(got["key_points"].([]any)) == 0 {
		t.Errorf("report attempt = %v", got)
	}
	if again := a.call(t, "GET", "/api/v1/sessions/"+s.id+"/report?format=json", s.token, ""); !bytes.Equal(again.body, r.body) {
		t.Error("format=json differs from the default")
	}

	r = a.call(t, "GET", "/api/v1/sessions/"+s.id+"/report?format=md&token="+s.token, "", "")
	if r.code != 200 {
		t.Fatalf("markdown report = %d %s", r.code, r.body)
	}
	if ct := r.header.Get("Content-Type"); ct != "text/markdown; charset=utf-8" {
		t.Errorf("Content-Type = %q", ct)
	}
	if cd := r.header.Get("Content-Disposition"); cd != `attachment; filename="session-`+s.id+`.md"` {
		t.Errorf("Content-Disposition = %q", cd)
	}
	md := string(r.body)
	if !strings.Contains(md, "````text\n"+hostile+"\n````\n") {
		t.Errorf("the answer is not fenced verbatim:\n%s", md)
	}
	// Outside the fence nothing can become HTML or a link.
	fence := false
	for _, line := range strings.Split(md, "\n") {
		if strings.HasPrefix(line, "````") {
			fence = !fence
			continue
		}
		if !fence && hasLiveMarkup(line) {
			t.Errorf("live markup outside the fence: %q", line)
		}
	}
	question := graded["question"].(string)
	for _, want := range []string{
		`# Practice session: \<b\>Ada\</b\>`,
		"| Security | 1 |", "- **Topic:** Security\n", "- **Graded by:** the offline grader",
		fmt.Sprintf("- **Score:** %v/100 (%v)", graded["score"], graded["band"]),
		"**Key points:**",
		"**Feedback:**",
		practice.Inline(question),
	} {
		if !strings.Contains(md, want) {
			t.Errorf("markdown lacks %q:\n%s", want, md)
		}
	}

	for _, fu := range graded["followups"].([]any) {
		if q := fu.(map[string]any)["question"].(string); !strings.Contains(md, practice.Inline(q)) {
			t.Errorf("markdown lacks the follow-up %q", q)
		}
	}

	r = a.call(t, "GET", "/api/v1/sessions/"+s.id+"/report?format=pdf", s.token, "")
	if r.code != 400 || r.errorCode(t) != "invalid" {
		t.Errorf("format=pdf = %d %s", r.code, r.body)
	}
}

// hasLiveMarkup reports whether line has a character that starts HTML, a link or an image without
// a backslash escaping it.
func hasLiveMarkup(line string) bool {
	escaped := false
	for _, c := range line {
		switch {
		case escaped:
			escaped = false
		case c == '\\':
			escaped = true
		case strings.ContainsRune("<>[]", c):
			return true
		}
	}
	return false
}

// event is one Server-Sent Event.
type event struct{ name, data string }

// readEvent reads the next event of a stream.
func readEvent(r *bufio.Reader) (event, error) {
	var e event
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			return e, err
		}
		line = strings.TrimRight(line, "\n")
		switch {
		case line == "" && e.name != "":
			return e, nil
		case strings.HasPrefix(line, "event: "):
			e.name = strings.TrimPrefix(line, "event: ")
		case strings.HasPrefix(line, "data: "):
			e.data += strings.TrimPrefix(line, "data: ")
		}
	}
}

func readEvents(t *testing.T, body []byte) []event {
	t.Helper()
	var events []event
	r := bufio.NewReader(bytes.NewReader(body))
	for {
		e, err := readEvent(r)
		if err == io.EOF {
			return events
		} else if err != nil {
			t.Fatal(err)
		}
		events = append(events, e)
	}
}

func TestGradeStream(t *testing.T) {
	t.Parallel()
	a := newSessionAPI(t, nil)
	s := a.createSession(t, `{"topic": "orm"}`)
	q := a.next(t, s)["question"].(map[string]any)["id"].(string)
	body, _ := json.Marshal(map[string]string{"question_id": q, "answer": a.strongAnswer(t, q), "session_id": s.id})

	r := a.call(t, "POST", "/api/v1/grade?stream=true", s.token, string(body))
	if r.code != 200 || r.header.Get("Content-Type") != "text/event-stream" {
		t.Fatalf("stream = %d %v %s", r.code, r.header, r.body)
	}
	events := readEvents(t, r.body)
	if len(events) != 2 || events[0].name != "references" || events[1].name != "grade" {
		t.Fatalf("events = %+v, want references then grade", events)
	}
	var refs struct {
		Question   *string
		QuestionID *string `json:"question_id"`
		Grounded   *bool
		References []coach.RetrievedReference
	}
	if err := json.Unmarshal([]byte(events[0].data), &refs); err != nil {
		t.Fatal(err)
	}
	if refs.QuestionID == nil || *refs.QuestionID != q || refs.Question == nil || *refs.Question == "" ||
		refs.Grounded == nil || !*refs.Grounded || len(refs.References) == 0 || refs.References[0].QuestionID != q {
		t.Errorf("references event = %s", events[0].data)
	}
	var graded map[string]any
	if err := json.Unmarshal([]byte(events[1].data), &graded); err != nil {
		t.Fatal(err)
	}
	stored := a.call(t, "GET", "/api/v1/attempts/"+graded["attempt_id"].(string), s.token, "")
	if !reflect.DeepEqual(graded, stored.object(t)) {
		t.Errorf("grade event differs from the stored attempt:\n%s\n%s", events[1].data, stored.body)
	}
	if graded["session_id"] != s.id || !reflect.DeepEqual(graded["references"], mustJSON(t, events[0].data)["references"]) {
		t.Errorf("graded attempt: session %v, references %v", graded["session_id"], graded["references"])
	}
	history := a.call(t, "GET", "/api/v1/sessions/"+s.id, s.token, "").object(t)["history"].([]any)
	if len(history) != 1 || history[0].(map[string]any)["attempt_id"] != graded["attempt_id"] {
		t.Errorf("history = %v", history)
	}

	// Requests that fail before the stream begins get plain JSON errors.
	for _, tt := range []struct {
		body, token string
		status      int
	}{
		{`{"answer": "x"}`, "", 400},
		{`{"question_id": "nope", "answer": "x"}`, "", 404},
		{`{"question_id": "` + q + `", "answer": "x", "session_id": "` + s.id + `"}`, "", 401},
		{`{"question_id": "` + q + `", "answer": 5}`, "", 400},
	} {
		r := a.call(t, "POST", "/api/v1/grade?stream=true", tt.token, tt.body)
		if r.code != tt.status || !strings.HasPrefix(r.header.Get("Content-Type"), "application/json") {
			t.Errorf("stream %s = %d %v %s, want JSON %d", tt.body, r.code, r.header.Get("Content-Type"), r.body, tt.status)
		}
		r.errorCode(t)
	}
	if r := a.call(t, "POST", "/api/v1/grade?stream=maybe", "", `{"question_id": "`+q+`", "answer": "x"}`); r.code != 400 {
		t.Errorf("stream=maybe = %d %s", r.code, r.body)
	}
}

func mustJSON(t *testing.T, s string) map[string]any {
	t.Helper()
	var out map[string]any
	if err := json.Unmarshal([]byte(s), &out); err != nil {
		t.Fatal(err)
	}
	return out
}

// gatedGrader holds every grading until release is closed, then judges with next or fails with err.
type gatedGrader struct {
	next    coach.Grader
	release chan struct{}
	err     error
}

func (g *gatedGrader) Grade(ctx context.Context, in coach.GradeInput) (*coach.Judged, error) {
	select {
	case <-g.release:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	if g.err != nil {
		return nil, g.err
	}
	return g.next.Grade(ctx, in)
}

// TestGradeStreamOverHTTP reads the stream from a real server: the references arrive while the
// grader is still held, the grade once it is released; a grader failing after the references gives
// an error event.
func TestGradeStreamOverHTTP(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name string
		err  error
		last string
	}{
		{"graded", nil, "grade"},
		{"grader fails", coach.Errorf(coach.EUNAVAILABLE, "the language model is unavailable"), "error"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			gate := &gatedGrader{next: offline.New(localembed.New(localembed.DefaultDimensions)), release: make(chan struct{}), err: tt.err}
			a := newSessionAPI(t, gate)
			srv := httptest.NewServer(a.h)
			defer srv.Close()

			body := `{"question_id": "orm-select-related-prefetch", "answer": "select_related uses a SQL JOIN."}`
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			req, _ := http.NewRequestWithContext(ctx, "POST", srv.URL+"/api/v1/grade?stream=true", strings.NewReader(body))
			req.Header.Set("Content-Type", "application/json")
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "text/event-stream" {
				t.Fatalf("stream = %d %v", resp.StatusCode, resp.Header)
			}
			stream := bufio.NewReader(resp.Body)
			first, err := readEvent(stream) // the grader is still held: this must have been flushed
			if err != nil || first.name != "references" || !strings.Contains(first.data, `"question_id":"orm-select-related-prefetch"`) {
				t.Fatalf("first event = %+v, %v", first, err)
			}
			close(gate.release)
			last, err := readEvent(stream)
			if err != nil || last.name != tt.last {
				t.Fatalf("second event = %+v, %v; want %s", last, err, tt.last)
			}
			if tt.err != nil {
				var e struct {
					Error struct{ Code, Message string }
				}
				if err := json.Unmarshal([]byte(last.data), &e); err != nil || e.Error.Code != "unavailable" || e.Error.Message == "" {
					t.Errorf("error event = %s", last.data)
				}
			}
			if rest, _ := io.ReadAll(stream); len(bytes.TrimSpace(rest)) != 0 {
				t.Errorf("more after the last event: %q", rest)
			}
		})
	}
}

// TestEncodedQueryTokenIsRedacted gives the token under a percent-encoded parameter name, which the
// router decodes, so it opens the session: the logs must not hold it either.
func TestEncodedQueryTokenIsRedacted(t *testing.T) {
	t.Parallel()
	a := newSessionAPI(t, nil)
	s := a.createSession(t, `{"topic": "orm"}`)
	r := a.call(t, "GET", "/api/v1/sessions/"+s.id+"?%74oken="+s.token, "", "")
	if r.code != 200 {
		t.Fatalf("?%%74oken= = %d %s, want 200", r.code, r.body)
	}
	if logs := a.logs.String(); strings.Contains(logs, s.token) {
		t.Errorf("a token reached the logs:\n%s", logs)
	}
}

// TestAnswerFollowUpInSession answers a follow-up in the session that owns it, and refuses another
// session's (and an anonymous caller's) attempt to answer it.
func TestAnswerFollowUpInSession(t *testing.T) {
	t.Parallel()
	a := newSessionAPI(t, nil)
	mine, theirs := a.createSession(t, `{}`), a.createSession(t, `{}`)
	first := a.answer(t, mine, "orm-select-related-prefetch", "select_related uses a JOIN for foreign keys.")
	followups := first["followups"].([]any)
	if len(followups) == 0 {
		t.Fatal("no follow-ups")
	}
	probe := followups[0].(map[string]any)
	body := func(s session) string {
		b, _ := json.Marshal(map[string]any{
			"answer": probe["expected_answer"], "session_id": s.id,
			"followup": map[string]any{"attempt_id": first["attempt_id"], "index": 0},
		})
		return string(b)
	}
	r := a.call(t, "POST", "/api/v1/grade", mine.token, body(mine))
	if r.code != 200 {
		t.Fatalf("answering my follow-up = %d %s", r.code, r.body)
	}
	got := r.object(t)
	kps := got["key_points"].([]any)
	if got["question"] != probe["question"] || len(kps) != 1 || kps[0].(map[string]any)["id"] != probe["targets"] || got["followup"] == nil {
		t.Errorf("follow-up answer graded against %v (%d key points), followup %v", got["question"], len(kps), got["followup"])
	}
	// To anyone else the attempt does not exist (see TestFollowUpIsNoOracle).
	if r := a.call(t, "POST", "/api/v1/grade", theirs.token, body(theirs)); r.code != http.StatusNotFound {
		t.Errorf("another session answering my follow-up = %d %s, want 404", r.code, r.body)
	}
	anonymous, _ := json.Marshal(map[string]any{"answer": "x", "followup": map[string]any{"attempt_id": first["attempt_id"], "index": 0}})
	if r := a.call(t, "POST", "/api/v1/grade", "", string(anonymous)); r.code != http.StatusNotFound {
		t.Errorf("an anonymous caller answering my follow-up = %d %s, want 404", r.code, r.body)
	}
}

// TestAnswerTiming checks that the time an answer took is stored with it and read back, never
// enforced, and that impossible times are refused with what is wrong.
func TestAnswerTiming(t *testing.T) {
	t.Parallel()
	a := newSessionAPI(t, nil)
	s := a.createSession(t, `{"topic": "security", "answer_seconds": 60}`)
	q := a.next(t, s)["question"].(map[string]any)["id"].(string)
	grade := func(timing string) response {
		return a.call(t, "POST", "/api/v1/grade", s.token,
			`{"question_id": "`+q+`", "answer": "Django checks a CSRF token.", "session_id": "`+s.id+`", "timing": `+timing+`}`)
	}
	for _, bad := range []string{`{"limit_seconds": -1, "elapsed_seconds": 5}`, `{"limit_seconds": 60, "elapsed_seconds": 90000}`, `{"limit_seconds": "60"}`} {
		if r := grade(bad); r.code != 400 || r.errorCode(t) != "invalid" || !strings.Contains(string(r.body), "seconds") {
			t.Errorf("timing %s = %d %s", bad, r.code, r.body)
		}
	}
	// Over time: graded like any other answer, the time kept with it.
	r := grade(`{"limit_seconds": 60, "elapsed_seconds": 75}`)
	if r.code != 200 {
		t.Fatalf("grade over time = %d %s", r.code, r.body)
	}
	id := r.object(t)["attempt_id"].(string)
	got := a.call(t, "GET", "/api/v1/attempts/"+id, s.token, "").object(t)
	if tm, _ := got["timing"].(map[string]any); tm["limit_seconds"] != 60.0 || tm["elapsed_seconds"] != 75.0 {
		t.Errorf("stored timing = %v", got["timing"])
	}
	if w, ok := got["warnings"].([]any); !ok || w == nil {
		t.Errorf("warnings = %#v, want a list, never null", got["warnings"])
	}
	md := string(a.call(t, "GET", "/api/v1/sessions/"+s.id+"/report?format=md", s.token, "").body)
	if !strings.Contains(md, "- **Time:** 75 s of the 60 s allowed\n") || !strings.Contains(md, "- **Time per answer:** 60 s") {
		t.Errorf("the Markdown report does not give the time:\n%s", md)
	}
}

// wrongToken returns token with its first character changed, so it is the same length but never
// the same token.
func wrongToken(token string) string {
	first := "x"
	if strings.HasPrefix(token, "x") {
		first = "y"
	}
	return first + token[1:]
}
