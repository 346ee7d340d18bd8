package localembed

import (
	"strings"

	"github.com/interviewcoach/coach/internal/text"
)

// The embedder's own vocabulary, applied on top of the text package's analysis (whose synonym table
// other parts of the coach are fitted to, so it stays as it is). Three tables, all general software
// and web knowledge rather than the wording of any question:
//
//   - aliasGroups: plain-English and informal words for a concept the text package already knows or
//     that technical writing uses ("sluggish" and "hangs" for slow, "mass" for bulk). A word of a
//     group adds the group's head concept, a little lighter than the word's own concept.
//   - topicGroups: words that go together in one topic without meaning the same, including symptoms
//     and their usual causes ("slow" with "index", "cache" and "query"; "twice" with "idempotent").
//     A word adds the other concepts of its topics with a small weight.
//   - symptomPhrases: multiword plain-English phrasings, matched over the words with function
//     words kept ("for every row", "takes forever", "try again"), each adding concepts.

// aliasGroups lists informal or alternative words for a concept, the concept's word first.
var aliasGroups = []string{
	// Speed, load and resources.
	"slow forever sluggish hang hanging freeze frozen stall crawl laggy unresponsive timeout",
	"memory oom exhaust exhausted",
	"speed snappy responsive",
	"large giant gigantic heavy millions thousands",
	"process proc",
	"cpu core processor",
	"bulk mass batch batches",
	"connection socket",
	"pool pooling pooled pooler",

	// Failure.
	"error blow broken break breaks crashes complain complains exploded traceback stacktrace",
	"retry retries retried reattempt backoff",
	"duplicate twice double doubled repeated",
	"conflict clash clashing collide collision",
	"leak leaked leaking exposed expose",

	// Data and schema.
	"constraint integrity invariant",
	"schema structure",
	"column attribute",
	"update rename renamed",
	"sort sorted",
	"regex regexp pattern",

	// Web and users.
	"user person people customer",
	"redirect bounce forward",
	"layout skeleton base",
	"field box input",
	"email newsletter",
	"throttle throttling ratelimit hammer hammering flood flooding spam",
	"external provider gateway vendor service",
	"realtime live push chat",
	"export download spreadsheet excel csv",
	"command cli terminal console shell",
	"startup boot",
	"test suite unittest",
}

// topicGroups lists words of one topic; each word brings a little of the others.
var topicGroups = []string{
	// Symptoms of slowness and their usual causes and cures.
	"slow speed optimize bottleneck profile",
	"n+1 loop row query select_related prefetch_related",
	"memory iterator chunk stream generator large",
	"deep offset limit pagination keyset cursor",
	"scan index explain plan lookup",
	"slow query log toolbar profile",
	"count exists len",
	"bulk bulk_create bulk_update update insert batch",

	// Data integrity and concurrency.
	"race concurrent lock select_for_update",
	"constraint unique check integrity reject",
	"duplicate idempotent retry",
	"transaction commit on_commit rollback",
	"delete cascade protect on_delete orphan parent child",

	// Schema changes.
	"migration makemigrations migrate schema",
	"migration conflict merge branch",
	"migration downtime lock",
	"migration squash squashmigrations",

	// Models.
	"model inheritance abstract proxy parent child",
	"meta ordering verbose_name db_table plural",
	"manager queryset objects reusable",
	"subquery outerref exists latest",

	// Views, URLs and templates.
	"view generic mixin",
	"mixin order method resolution inheritance",
	"url regex path re_path converter",
	"url namespace include",
	"url reverse link hardcode",
	"template inheritance extends block layout header footer",
	"template filter tag custom",
	"template context processor global",
	"template override third party app directory",
	"csv export stream download",

	// Forms.
	"form validation clean field",
	"formset inline several multiple",
	"form save_m2m commit",
	"upload file image multipart enctype",

	// Security.
	"xss script escape html inject",
	"sql injection raw parameter",
	"clickjacking iframe frame embed",
	"secret signing key leak rotate",
	"allowed_hosts host debug header",
	"https ssl tls proxy secure cookie",
	"csrf token forbidden",
	"password hash salt pbkdf2 argon2 leak",

	// Authentication.
	"login authentication backend email username",
	"login redirect anonymous required",
	"permission group role access",
	"token cookie session mobile api",
	"middleware request response wrap",

	// Background work.
	"celery task background queue worker broker email",
	"celery retry backoff external timeout",
	"periodic schedule beat cron daily weekly",
	"signal hook receiver",
	"signal ready appconfig startup register",

	// APIs and realtime.
	"api throttle rate limit client",
	"api serializer json",
	"websocket channels realtime asgi",

	// Deployment.
	"static css javascript collectstatic whitenoise",
	"gunicorn uvicorn worker process cpu production server",
	"connection pool persistent conn_max_age pgbouncer",
	"settings environment production development secret",

	// Testing.
	"test mock patch external",
	"test query count assertnumqueries",
	"test transactiontestcase testcase",
	"test fixture factory data",

	// Python.
	"mutable default argument list shared remember previous",
	"args kwargs argument variable number",
	"generator yield lazy iterator",
	"gil thread cpu parallel multiprocessing",
	"decorator wrapper function",
	"context manager with resource cleanup",
	"command manage.py management terminal",
}

// symptomPhrases maps phrases, matched word by word with function words included, onto the concepts
// they add. Words are given in plain form and stemmed like the text's own words.
var symptomPhrases = []struct{ words, concepts string }{
	{"for every row", "n+1 loop"},
	{"for each row", "n+1 loop"},
	{"per row", "n+1 loop"},
	{"for every item", "n+1 loop"},
	{"for each item", "n+1 loop"},
	{"per item", "n+1 loop"},
	{"for every object", "n+1 loop"},
	{"for each object", "n+1 loop"},
	{"in a loop", "n+1 loop"},
	{"inside a loop", "n+1 loop"},
	{"one at a time", "loop bulk"},
	{"one by one", "loop iterator"},
	{"takes forever", "slow"},
	{"takes ages", "slow"},
	{"takes seconds", "slow"},
	{"takes minutes", "slow"},
	{"run out of memory", "memory"},
	{"runs out of memory", "memory"},
	{"out of memory", "memory"},
	{"eats all the memory", "memory"},
	{"try again", "retry"},
	{"blows up", "error exception"},
	{"at the same time", "concurrent"},
	{"at the same moment", "concurrent race"},
	{"at once", "concurrent"},
	{"too many requests", "throttle"},
	{"rate limit", "throttle"},
	{"times a minute", "throttle"},
	{"regular expression", "regex"},
	{"bad request", "allowed_hosts host"},
	{"full table scan", "index explain"},
	{"table scan", "index explain"},
	{"round trip", "query"},
	{"database calls", "query"},
	{"database call", "query"},
	{"sign in", "login"},
	{"signed in", "login"},
	{"logged in", "login"},
	{"e mail", "email"},
	{"display name", "verbose_name"},
	{"base class", "inheritance"},
	{"base classes", "inheritance mixin"},
	{"unit tests", "test"},
	{"third party", "external"},
}

// Weights of the vocabulary's features, relative to the concept of the word itself.
const (
	weightAlias  = 0.8
	weightTopic  = 0.25
	weightPhrase = 0.8
)

// expansion is a concept a term brings and the weight it brings it with.
type expansion struct {
	concept string
	alias   bool // an alias rather than a topic word: weightAlias rather than weightTopic
}

// weight returns the weight of an expansion relative to the term that brings it.
func (x expansion) weight() float64 {
	if x.alias {
		return weightAlias
	}
	return weightTopic
}

var (
	// vocabExpansions maps a concept of the text package onto the concepts it adds.
	vocabExpansions map[string][]expansion
	// vocabPhrases maps the first word of each phrase onto the phrases starting with it.
	vocabPhrases map[string][]vocabPhrase
)

// vocabPhrase is a compiled symptomPhrases entry: the words are function words as written or
// concepts.
type vocabPhrase struct {
	words    []string
	concepts []string
}

// wordConcept returns the concept of one word: itself for a function word or an identifier, its
// text concept otherwise.
func wordConcept(w string) string {
	if text.IsStopword(w) || strings.ContainsAny(w, "_.") || w == "n+1" {
		return w
	}
	cs := text.Concepts(w)
	if len(cs) == 0 {
		return w
	}
	return cs[0]
}

func init() {
	vocabExpansions = make(map[string][]expansion, 512)
	add := func(from, to string, alias bool) {
		if from == to {
			return
		}
		for i, x := range vocabExpansions[from] {
			if x.concept == to {
				vocabExpansions[from][i].alias = x.alias || alias
				return
			}
		}
		vocabExpansions[from] = append(vocabExpansions[from], expansion{to, alias})
	}
	for _, g := range aliasGroups {
		words := strings.Fields(g)
		head := wordConcept(words[0])
		for _, w := range words[1:] {
			add(wordConcept(w), head, true)
		}
	}
	for _, g := range topicGroups {
		var cs []string
		for _, w := range strings.Fields(g) {
			cs = append(cs, wordConcept(w))
		}
		for _, a := range cs {
			for _, b := range cs {
				add(a, b, false)
			}
		}
	}
	vocabPhrases = make(map[string][]vocabPhrase, len(symptomPhrases))
	for _, p := range symptomPhrases {
		var ws []string
		for _, w := range text.Tokens(p.words) {
			ws = append(ws, wordConcept(w))
		}
		var cs []string
		for _, c := range strings.Fields(p.concepts) {
			cs = append(cs, wordConcept(c))
		}
		vocabPhrases[ws[0]] = append(vocabPhrases[ws[0]], vocabPhrase{ws, cs})
	}
}
