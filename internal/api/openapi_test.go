package api_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"mime"
	"net/http"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/interviewcoach/coach/internal/api"
	"github.com/interviewcoach/coach/internal/coach"
)

// docURL is where the tests load the OpenAPI document as a JSON Schema resource, so that schemas
// are compiled by their JSON pointer within it and their $refs resolve.
const docURL = "https://coach.invalid/openapi.json"

// spec is the parsed OpenAPI document.
type spec struct {
	Paths map[string]map[string]struct {
		OperationID string                      `json:"operationId"`
		Security    []map[string][]string       `json:"security"`
		Parameters  []struct{ Name, In string } `json:"parameters"`
		Responses   map[string]json.RawMessage  `json:"responses"`
	} `json:"paths"`
	Components struct {
		Schemas         map[string]json.RawMessage `json:"schemas"`
		Responses       map[string]json.RawMessage `json:"responses"`
		SecuritySchemes map[string]json.RawMessage `json:"securitySchemes"`
	} `json:"components"`
	OpenAPI string `json:"openapi"`
}

func loadSpec(t *testing.T) *spec {
	t.Helper()
	var s spec
	dec := json.NewDecoder(bytes.NewReader(api.OpenAPI))
	if err := dec.Decode(&s); err != nil {
		t.Fatalf("openapi.json: %v", err)
	}
	return &s
}

// fullServer is a server with every optional part, so that every route exists.
func fullServer(w *world) *echo.Echo {
	return w.build(func(s *api.Server) {
		s.Metrics = http.HandlerFunc(func(rw http.ResponseWriter, _ *http.Request) {
			rw.Header().Set("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
			fmt.Fprintln(rw, "# HELP up 1 when the server is up\nup 1")
		})
		s.UI = fstest.MapFS{"index.html": {Data: []byte("<!doctype html>")}}
		s.Limits.MaxImportBytes = 1 << 20
	}).(*echo.Echo)
}

// echoParam is a parameter of an echo route path.
var echoParam = regexp.MustCompile(`:([a-z_]+)`)

// templateOf writes an echo route path as an OpenAPI path template.
func templateOf(path string) string { return echoParam.ReplaceAllString(path, "{$1}") }

// TestOpenAPICoversEveryRoute walks the real router: every route must be documented, and every
// documented operation must be a route.
func TestOpenAPICoversEveryRoute(t *testing.T) {
	t.Parallel()
	w := newWorld(t, nil)
	e := fullServer(w)
	doc := loadSpec(t)
	routes := map[string]bool{}
	for _, r := range e.Routes() {
		switch {
		case r.Method == echo.RouteNotFound:
			continue // echo's own 404 routes
		case r.Path == "/*":
			continue // the web UI's files, which are not the API
		}
		routes[r.Method+" "+templateOf(r.Path)] = true
	}
	documented := map[string]bool{}
	for path, ops := range doc.Paths {
		for method := range ops {
			documented[strings.ToUpper(method)+" "+path] = true
		}
	}
	for r := range routes {
		if !documented[r] {
			t.Errorf("route %s is not in openapi.json", r)
		}
	}
	for d := range documented {
		if !routes[d] {
			t.Errorf("openapi.json documents %s, which the router does not serve", d)
		}
	}
	if len(routes) < 20 {
		t.Errorf("only %d routes: the server under test lacks some of its parts", len(routes))
	}
}

// TestOpenAPIDocument checks the document itself: every operation named once, with its responses,
// path parameters and known security schemes, and every schema compiles with its references.
func TestOpenAPIDocument(t *testing.T) {
	t.Parallel()
	doc := loadSpec(t)
	if !strings.HasPrefix(doc.OpenAPI, "3.1.") {
		t.Errorf("openapi = %q, want 3.1.x", doc.OpenAPI)
	}
	ids := map[string]bool{}
	for path, ops := range doc.Paths {
		params := regexp.MustCompile(`\{([a-z_]+)\}`).FindAllStringSubmatch(path, -1)
		for method, o := range ops {
			name := strings.ToUpper(method) + " " + path
			if o.OperationID == "" || ids[o.OperationID] {
				t.Errorf("%s: operationId %q missing or taken", name, o.OperationID)
			}
			ids[o.OperationID] = true
			if len(o.Responses) == 0 {
				t.Errorf("%s: no responses", name)
			}
			if o.Security == nil {
				t.Errorf("%s: says nothing of security (use [] for open routes)", name)
			}
			for _, req := range o.Security {
				for scheme := range req {
					if doc.Components.SecuritySchemes[scheme] == nil {
						t.Errorf("%s: unknown security scheme %q", name, scheme)
					}
				}
			}
			for _, p := range params {
				if !slices.ContainsFunc(o.Parameters, func(q struct{ Name, In string }) bool { return q.Name == p[1] && q.In == "path" }) {
					t.Errorf("%s: path parameter %s is not declared", name, p[1])
				}
			}
		}
	}
	c := compiler(t)
	for name := range doc.Components.Schemas {
		if _, err := c.Compile(docURL + "#/components/schemas/" + name); err != nil {
			t.Errorf("schema %s: %v", name, err)
		}
	}
	// Every $ref points at something, and every schema and response is used.
	var raw any
	_ = json.Unmarshal(api.OpenAPI, &raw)
	used := map[string]bool{}
	var walk func(v any)
	walk = func(v any) {
		switch v := v.(type) {
		case map[string]any:
			if ref, ok := v["$ref"].(string); ok {
				used[ref] = true
				if _, err := pointer(raw, strings.TrimPrefix(ref, "#")); err != nil {
					t.Errorf("$ref %s: %v", ref, err)
				}
			}
			for _, x := range v {
				walk(x)
			}
		case []any:
			for _, x := range v {
				walk(x)
			}
		}
	}
	walk(raw)
	for name := range doc.Components.Schemas {
		if !used["#/components/schemas/"+name] {
			t.Errorf("schema %s is never used", name)
		}
	}
	for name := range doc.Components.Responses {
		if !used["#/components/responses/"+name] {
			t.Errorf("response %s is never used", name)
		}
	}
}

func compiler(t *testing.T) *jsonschema.Compiler {
	t.Helper()
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(api.OpenAPI))
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	c.DefaultDraft(jsonschema.Draft2020)
	c.AssertFormat()
	if err := c.AddResource(docURL, doc); err != nil {
		t.Fatal(err)
	}
	return c
}

// pointer resolves a JSON pointer in v.
func pointer(v any, ptr string) (any, error) {
	if ptr == "" {
		return v, nil
	}
	for _, tok := range strings.Split(strings.TrimPrefix(ptr, "/"), "/") {
		tok = strings.ReplaceAll(strings.ReplaceAll(tok, "~1", "/"), "~0", "~")
		m, ok := v.(map[string]any)
		if !ok {
			return nil, fmt.Errorf("%s: not an object at %q", ptr, tok)
		}
		if v, ok = m[tok]; !ok {
			return nil, fmt.Errorf("%s: no %q", ptr, tok)
		}
	}
	return v, nil
}

func escape(tok string) string {
	return strings.ReplaceAll(strings.ReplaceAll(tok, "~", "~0"), "/", "~1")
}

// validator checks responses against the document.
type validator struct {
	t       *testing.T
	raw     any
	c       *jsonschema.Compiler
	schemas map[string]*jsonschema.Schema
	paths   []string // templates, longest first
	seen    map[string]bool
}

func newValidator(t *testing.T) *validator {
	v := &validator{t: t, c: compiler(t), schemas: map[string]*jsonschema.Schema{}, seen: map[string]bool{}}
	_ = json.Unmarshal(api.OpenAPI, &v.raw)
	for p := range v.raw.(map[string]any)["paths"].(map[string]any) {
		v.paths = append(v.paths, p)
	}
	sort.Slice(v.paths, func(i, j int) bool { return len(v.paths[i]) > len(v.paths[j]) })
	return v
}

// template returns the documented path template that path matches.
func (v *validator) template(path string) string {
	path, _, _ = strings.Cut(path, "?")
	for _, p := range v.paths {
		re := "^" + regexp.MustCompile(`\\\{[a-z_]+\\\}`).ReplaceAllString(regexp.QuoteMeta(p), `[^/]+`) + "$"
		if regexp.MustCompile(re).MatchString(path) {
			return p
		}
	}
	return ""
}

func (v *validator) schema(ptr string) *jsonschema.Schema {
	if s, ok := v.schemas[ptr]; ok {
		return s
	}
	s, err := v.c.Compile(docURL + "#" + ptr)
	if err != nil {
		v.t.Fatalf("compile %s: %v", ptr, err)
	}
	v.schemas[ptr] = s
	return s
}

// check validates a response to method path against the documented response of its status.
func (v *validator) check(method, path string, r response) {
	t := v.t
	t.Helper()
	tmpl := v.template(path)
	if tmpl == "" {
		t.Errorf("%s %s: no documented path matches", method, path)
		return
	}
	opPtr := "/paths/" + escape(tmpl) + "/" + strings.ToLower(method)
	if _, err := pointer(v.raw, opPtr); err != nil {
		t.Errorf("%s %s: %s is not documented", method, path, opPtr)
		return
	}
	respPtr := fmt.Sprintf("%s/responses/%d", opPtr, r.code)
	resp, err := pointer(v.raw, respPtr)
	if err != nil {
		t.Errorf("%s %s answered %d, which %s %s does not document: %.200s", method, path, r.code, strings.ToUpper(method), tmpl, r.body)
		return
	}
	if ref, ok := resp.(map[string]any)["$ref"].(string); ok {
		respPtr = strings.TrimPrefix(ref, "#")
		resp, _ = pointer(v.raw, respPtr)
	}
	v.seen[strings.ToUpper(method)+" "+tmpl+" "+fmt.Sprint(r.code)] = true
	content, _ := resp.(map[string]any)["content"].(map[string]any)
	if len(content) == 0 {
		if len(r.body) != 0 {
			t.Errorf("%s %s %d: documented without a body, answered %q", method, path, r.code, r.body)
		}
		return
	}
	ctype, _, _ := mime.ParseMediaType(r.header.Get("Content-Type"))
	if content[ctype] == nil {
		t.Errorf("%s %s %d: Content-Type %q is not documented", method, path, r.code, ctype)
		return
	}
	switch ctype {
	case "application/json":
		v.validate(fmt.Sprintf("%s %s %d", method, path, r.code), respPtr+"/content/"+escape(ctype)+"/schema", r.body)
	case "text/event-stream":
		// Each event's data is documented under the media type's x-events, by event name.
		events := readEvents(t, r.body)
		if len(events) == 0 {
			t.Errorf("%s %s: an empty stream", method, path)
		}
		documented, _ := content[ctype].(map[string]any)["x-events"].(map[string]any)
		for _, e := range events {
			if documented[e.name] == nil {
				t.Errorf("%s %s: undocumented event %q", method, path, e.name)
				continue
			}
			v.validate(fmt.Sprintf("%s %s event %s", method, path, e.name),
				respPtr+"/content/"+escape(ctype)+"/x-events/"+escape(e.name), []byte(e.data))
		}
	}
}

func (v *validator) validate(what, ptr string, body []byte) {
	v.t.Helper()
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(body))
	if err != nil {
		v.t.Errorf("%s: not JSON: %.200s", what, body)
		return
	}
	if err := v.schema(ptr).Validate(inst); err != nil {
		v.t.Errorf("%s does not match %s: %v\n%.500s", what, ptr, err, body)
	}
}

// checkRequest validates the JSON body of a request that succeeded against the documented request
// body, so that the document's requests are right too.
func (v *validator) checkRequest(method, path string, body []byte) {
	v.t.Helper()
	ptr := "/paths/" + escape(v.template(path)) + "/" + strings.ToLower(method) + "/requestBody/content/application~1json/schema"
	if _, err := pointer(v.raw, ptr); err != nil {
		v.t.Errorf("%s %s took a JSON body, which the document does not describe", method, path)
		return
	}
	v.validate(fmt.Sprintf("request %s %s", method, path), ptr, body)
}

// TestResponsesMatchOpenAPI calls every operation of a real server, with successes and failures,
// and validates each answer against the schema the document gives for its status.
func TestResponsesMatchOpenAPI(t *testing.T) {
	t.Parallel()
	w := newWorld(t, nil)
	full := fullServer(w)
	limited := w.build(func(s *api.Server) { s.Limits.RateLimit, s.Limits.RateBurst = 1.0/3600, 1 })
	slow := w.build(func(s *api.Server) {
		s.Limits.RequestTimeout = 50 * time.Millisecond
		s.Bank = slowBank{s.Bank}
	})
	v := newValidator(t)
	admin, candidate, interviewer := bearer(testAdminKey), bearer(w.key[coach.RoleCandidate]), bearer(w.key[coach.RoleInterviewer])

	call := func(h http.Handler, r request) response {
		t.Helper()
		got := w.do(t, h, r)
		v.check(r.method, r.path, got)
		return got
	}
	expect := func(r request, status int) response {
		t.Helper()
		got := call(full, r)
		if got.code != status {
			t.Errorf("%s %s = %d %.300s, want %d", r.method, r.path, got.code, got.body, status)
		}
		if r.body != "" && r.contentType == "" && status < 300 {
			v.checkRequest(r.method, r.path, []byte(r.body))
		}
		return got
	}

	// Probes and this document.
	expect(request{method: "GET", path: "/healthz"}, 200)
	expect(request{method: "GET", path: "/readyz"}, 200)
	expect(request{method: "GET", path: "/metrics"}, 200)
	expect(request{method: "GET", path: "/api/openapi.json"}, 200)

	// The bank.
	expect(request{method: "GET", path: "/api/v1/topics"}, 200)
	expect(request{method: "GET", path: "/api/v1/topics", auth: "Bearer nope"}, 401)
	expect(request{method: "GET", path: "/api/v1/questions?limit=2&topic=orm"}, 200)
	expect(request{method: "GET", path: "/api/v1/questions?limit=0"}, 400)
	expect(request{method: "GET", path: "/api/v1/questions/security-csrf"}, 200)
	expect(request{method: "GET", path: "/api/v1/questions/nope"}, 404)
	expect(request{method: "POST", path: "/api/v1/search", body: `{"query": "csrf token cookie", "k": 3}`}, 200)
	expect(request{method: "POST", path: "/api/v1/search", body: `{"query": `}, 400)
	expect(request{method: "POST", path: "/api/v1/search", body: `{"query": "` + strings.Repeat("a", 2<<20) + `"}`}, 413)

	// Sessions and grading.
	s := session{}
	created := expect(request{method: "POST", path: "/api/v1/sessions", body: `{"topic": "security", "name": "Ada"}`}, 201).object(t)
	s.id, s.token = created["id"].(string), created["token"].(string)
	expect(request{method: "POST", path: "/api/v1/sessions"}, 201)
	expect(request{method: "POST", path: "/api/v1/sessions", body: `{"topic": "cooking"}`}, 400)
	expect(request{method: "GET", path: "/api/v1/sessions/" + s.id + "/next", token: s.token}, 200)
	inSession := `{"question_id": "security-csrf", "answer": "The CsrfViewMiddleware checks a token against the csrftoken cookie.", "session_id": "` + s.id + `"}`
	graded := expect(request{method: "POST", path: "/api/v1/grade", body: inSession, token: s.token}, 200).object(t)
	expect(request{method: "POST", path: "/api/v1/grade?stream=true", body: inSession, token: s.token}, 200)
	expect(request{method: "POST", path: "/api/v1/grade", body: `{"question": "What is the airspeed of a swallow?", "answer": "Eleven."}`}, 422)
	expect(request{method: "POST", path: "/api/v1/followups", body: `{"question": "What is the airspeed of a swallow?", "answer": "Eleven."}`}, 422)
	expect(request{method: "POST", path: "/api/v1/grade", body: `{"answer": "x"}`}, 400)
	expect(request{method: "POST", path: "/api/v1/grade", body: `{"question_id": "nope", "answer": "x"}`}, 404)
	expect(request{method: "POST", path: "/api/v1/grade", body: inSession}, 401)
	expect(request{method: "POST", path: "/api/v1/grade", body: inSession, token: "wrong"}, 403)
	expect(request{method: "POST", path: "/api/v1/followups", body: `{"question_id": "security-xss", "answer": "Templates escape.", "count": 2}`}, 200)
	expect(request{method: "POST", path: "/api/v1/followups", body: `{"question_id": "security-xss", "answer": "x", "count": 9}`}, 400)
	attempt := "/api/v1/attempts/" + graded["attempt_id"].(string)
	expect(request{method: "GET", path: attempt, token: s.token}, 200)
	expect(request{method: "GET", path: attempt}, 401)
	expect(request{method: "GET", path: attempt, auth: candidate}, 403)
	expect(request{method: "GET", path: "/api/v1/attempts/a-none", auth: interviewer}, 404)
	for _, p := range []string{"", "/next", "/report", "/report?format=json", "/report?format=md"} {
		expect(request{method: "GET", path: "/api/v1/sessions/" + s.id + p, token: s.token}, 200)
		expect(request{method: "GET", path: "/api/v1/sessions/" + s.id + p}, 401)
		expect(request{method: "GET", path: "/api/v1/sessions/" + s.id + p, token: "wrong"}, 403)
		expect(request{method: "GET", path: "/api/v1/sessions/s-none" + p, auth: interviewer}, 404)
	}
	planned := expect(request{method: "POST", path: "/api/v1/sessions", body: `{"topic_ids": ["security", "orm"], "question_count": 3, "answer_seconds": 90}`}, 201).object(t)
	plan := session{id: planned["id"].(string), token: planned["token"].(string)}
	timed := `{"question_id": "security-csrf", "answer": "A token.", "session_id": "` + plan.id + `", "timing": {"limit_seconds": 90, "elapsed_seconds": 41}}`
	expect(request{method: "POST", path: "/api/v1/grade", body: timed, token: plan.token}, 200)
	expect(request{method: "POST", path: "/api/v1/sessions/" + plan.id + "/end", token: plan.token}, 200)
	expect(request{method: "POST", path: "/api/v1/sessions/" + plan.id + "/end"}, 401)
	expect(request{method: "GET", path: "/api/v1/sessions/" + plan.id + "/next", token: plan.token}, 409)
	report := expect(request{method: "GET", path: "/api/v1/sessions/" + plan.id + "/report", token: plan.token}, 200).object(t)
	if ts, _ := report["attempts"].([]any)[0].(map[string]any)["timing"].(map[string]any); ts["elapsed_seconds"] != 41.0 || ts["limit_seconds"] != 90.0 {
		t.Errorf("the timed answer's report attempt has timing %v", ts)
	}
	if report["ended_at"] == nil || len(report["topic_ids"].([]any)) != 2 {
		t.Errorf("the ended plan's report = %v", report)
	}
	lookup := `{"sessions": [{"id": "` + s.id + `", "token": "` + s.token + `"}, {"id": "s-none", "token": "wrong"}, {"id": "", "token": ""}]}`
	expect(request{method: "POST", path: "/api/v1/sessions/lookup", body: lookup}, 200)
	expect(request{method: "POST", path: "/api/v1/sessions/lookup", body: `{"sessions": [{"id": 1}]}`}, 400)
	expect(request{method: "GET", path: "/api/v1/sessions/" + s.id + "/report?format=pdf", token: s.token}, 400)
	expect(request{method: "DELETE", path: "/api/v1/sessions/" + s.id, token: "wrong"}, 403)
	expect(request{method: "DELETE", path: "/api/v1/sessions/" + s.id, token: s.token}, 204)
	expect(request{method: "DELETE", path: "/api/v1/sessions/" + s.id, auth: interviewer}, 404)

	// Administration.
	body, ct := multipartBody(t, "extra.yaml", extraBank)
	expect(request{method: "POST", path: "/api/v1/bank/import", body: body, contentType: ct, auth: admin}, 200)
	expect(request{method: "POST", path: "/api/v1/bank/import", body: body, contentType: ct}, 401)
	expect(request{method: "POST", path: "/api/v1/bank/import", body: body, contentType: ct, auth: interviewer}, 403)
	bad, badType := multipartBody(t, "image.png", "\x89PNG\r\n\x1a\n\x00\x00")
	expect(request{method: "POST", path: "/api/v1/bank/import", body: bad, contentType: badType, auth: admin}, 400)
	huge, hugeType := multipartBody(t, "huge.md", strings.Repeat("Why? Because. ", 800_000))
	expect(request{method: "POST", path: "/api/v1/bank/import", body: huge, contentType: hugeType, auth: admin}, 413)
	queued := expect(request{method: "POST", path: "/api/v1/bank/import", body: body, contentType: ct, auth: admin,
		header: http.Header{"Prefer": {"respond-async"}}}, 202).object(t)
	jobPath := fmt.Sprintf("/api/v1/bank/jobs/%v", queued["id"])
	expect(request{method: "GET", path: jobPath, auth: admin}, 200)
	expect(request{method: "GET", path: jobPath, auth: interviewer}, 403)
	expect(request{method: "GET", path: "/api/v1/bank/jobs/123456789", auth: admin}, 404)
	expect(request{method: "GET", path: "/api/v1/bank/jobs/x", auth: admin}, 404)
	expect(request{method: "POST", path: "/api/v1/bank/reindex", auth: admin}, 200)
	expect(request{method: "POST", path: "/api/v1/bank/reindex", auth: candidate}, 403)
	expect(request{method: "GET", path: "/api/v1/bank/review", auth: admin}, 200)
	expect(request{method: "GET", path: "/api/v1/bank/review", auth: interviewer}, 403)
	edited := expect(request{method: "POST", path: "/api/v1/questions", body: `{"text": "What does Flask's g hold?", "topic": "flask", "tags": ["flask"]}`, auth: admin}, 201).object(t)
	qpath := "/api/v1/questions/" + edited["id"].(string)
	expect(request{method: "POST", path: "/api/v1/questions", body: `{"text": ""}`, auth: admin}, 400)
	expect(request{method: "PATCH", path: qpath, body: `{"difficulty": "easy"}`, auth: admin}, 200)
	withRef := expect(request{method: "POST", path: qpath + "/references", body: `{"text": "g holds per-request data.", "source": "Flask docs", "source_url": "https://flask.example/g"}`, auth: admin}, 201).object(t)
	rpath := "/api/v1/references/" + withRef["references"].([]any)[0].(map[string]any)["id"].(string)
	kp := expect(request{method: "POST", path: rpath + "/key_points", body: `{"text": "g lives for one request.", "weight": 0.5}`, auth: admin}, 201).object(t)
	expect(request{method: "POST", path: rpath + "/key_points", body: `{"text": "g is per app context."}`, auth: interviewer}, 201)
	expect(request{method: "PATCH", path: "/api/v1/key_points/" + kp["id"].(string), body: `{"status": "rejected"}`, auth: admin}, 204)
	expect(request{method: "PATCH", path: "/api/v1/key_points/" + kp["id"].(string), body: `{"weight": 3}`, auth: admin}, 400)
	expect(request{method: "PUT", path: rpath + "/key_points/order", body: `{"ids": []}`, auth: admin}, 400)
	order := expect(request{method: "GET", path: qpath, auth: admin}, 200).object(t)
	var ids []string
	for _, k := range order["references"].([]any)[0].(map[string]any)["key_points"].([]any) {
		ids = append([]string{`"` + k.(map[string]any)["id"].(string) + `"`}, ids...)
	}
	expect(request{method: "PUT", path: rpath + "/key_points/order", body: `{"ids": [` + strings.Join(ids, ",") + `]}`, auth: admin}, 204)
	expect(request{method: "DELETE", path: "/api/v1/key_points/" + kp["id"].(string), auth: admin}, 204)
	expect(request{method: "DELETE", path: "/api/v1/key_points/" + kp["id"].(string), auth: admin}, 404)
	expect(request{method: "PATCH", path: rpath, body: `{"question_id": "security-xss"}`, auth: admin}, 204)
	expect(request{method: "PATCH", path: rpath, body: `{"question_id": "nope"}`, auth: admin}, 404)
	expect(request{method: "POST", path: "/api/v1/questions/security-xss/merge", body: `{"into": "security-xss"}`, auth: admin}, 400)
	expect(request{method: "POST", path: qpath + "/merge", body: `{"into": "security-xss"}`, auth: admin}, 200)
	expect(request{method: "DELETE", path: rpath, auth: admin}, 204)
	expect(request{method: "GET", path: "/api/v1/bank/audit?entity=question", auth: admin}, 200)
	expect(request{method: "GET", path: "/api/v1/bank/audit?entity=attempt", auth: admin}, 400)
	expect(request{method: "DELETE", path: "/api/v1/questions/extra-one", auth: admin}, 204)
	expect(request{method: "DELETE", path: "/api/v1/questions/extra-one", auth: admin}, 404)
	expect(request{method: "DELETE", path: "/api/v1/questions/security-xss", auth: interviewer}, 403)
	expect(request{method: "GET", path: "/api/v1/keys", auth: admin}, 200)
	expect(request{method: "GET", path: "/api/v1/keys"}, 401)
	key := expect(request{method: "POST", path: "/api/v1/keys", body: `{"role": "candidate", "name": "Ada"}`, auth: admin}, 201).object(t)
	expect(request{method: "POST", path: "/api/v1/keys", body: `{"role": "root", "name": "Ada"}`, auth: admin}, 400)
	expect(request{method: "DELETE", path: "/api/v1/keys/" + key["id"].(string), auth: admin}, 200)
	expect(request{method: "DELETE", path: "/api/v1/keys/000000000000", auth: admin}, 404)
	expect(request{method: "DELETE", path: "/api/v1/keys/admin-env", auth: admin}, 400)

	// Limits.
	grade := request{method: "POST", path: "/api/v1/grade", body: `{"question_id": "security-csrf", "answer": "A token."}`}
	if r := call(limited, grade); r.code != 200 {
		t.Errorf("first grade = %d", r.code)
	}
	if r := call(limited, grade); r.code != 429 {
		t.Errorf("second grade = %d, want 429", r.code)
	}
	if r := call(slow, request{method: "GET", path: "/api/v1/topics"}); r.code != 503 {
		t.Errorf("slow topics = %d, want 503", r.code)
	}

	// Every operation answered with success at least once.
	for path, ops := range loadSpec(t).Paths {
		for method := range ops {
			ok := false
			for _, code := range []int{200, 201, 204} {
				ok = ok || v.seen[fmt.Sprintf("%s %s %d", strings.ToUpper(method), path, code)]
			}
			if !ok {
				t.Errorf("%s %s was never answered with success", strings.ToUpper(method), path)
			}
		}
	}
}
