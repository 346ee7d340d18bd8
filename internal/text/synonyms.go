package text

import (
	"slices"
	"strings"
)

// Canonical maps a stem onto the concept of its synonym group, so that words a candidate and a
// reference use for the same idea compare equal: "run", "execute", "fire" and "issue" (a query) all
// become "execut"; "record", "row", "instance" and "entry" become "row". A concept is the stem of the
// group's first word, or a short name for a phrase ("fk" for "foreign key"). Stems outside the table
// come back unchanged.
//
// The table holds general software and web vocabulary, not the wording of any particular question.
func Canonical(stem string) string {
	if c, ok := canonical[stem]; ok {
		return c
	}
	return stem
}

// Expand returns the words an abbreviation stands for ("fk" gives "foreign key", "csrf" gives
// "cross site request forgery") and whether word is a known abbreviation. Analyze expands before
// matching phrases, so the abbreviation and the spelt-out form meet on one concept.
func Expand(word string) (string, bool) {
	e, ok := abbreviations[word]
	return e, ok
}

// synonymGroups lists words that mean the same in software talk, the concept's word first. Groups
// are stemmed when the package loads; a word whose stem another group already took is a mistake the
// tests catch.
var synonymGroups = []string{
	// Databases and the ORM.
	"query queries sql statement",
	"database db datastore rdbms dbms postgres postgresql mysql sqlite mariadb",
	"execute run fire issue invoke trigger call exec",
	"row record entry instance object obj item tuple",
	"fetch retrieve load get obtain read pull prefetch preload",
	"column field attribute attr col property",
	"index indexes indices indexing",
	"fk foreignkey",
	"m2m manytomany",
	"o2o onetoone",
	"id identifier pk",
	"transaction atomic atomically atomicity",
	"rollback revert undo",
	"migration migrate migrations",
	"lock locking mutex",
	"relation related relationship association associated",
	"join joins joined joining",
	"orm",

	// Speed and cost.
	"speed fast faster fastest quick quickly rapid performance perform performant efficient efficiency optimize optimise optimization optimisation accelerate",
	"slow slower slowly slowness latency lag bottleneck expensive costly overhead",
	"cache caching cached memoize memoise memoization",
	"large big huge massive enormous",
	"small tiny little",
	"scale scalable scalability scaling",
	"reduce minimize minimise decrease lessen fewer",

	// Security.
	"secure security safe safely safety protect protection guard defend safeguard",
	"attack attacker exploit malicious hacker threat vulnerability vulnerable",
	"forgery forge forged spoof spoofing",
	"escape escaping sanitize sanitise sanitization",
	"secret password passwd pwd credential passphrase",
	"encrypt encryption encrypted cipher",
	"hash hashing digest checksum",
	"permission perm authorize authorise authorization authorisation privilege",
	"restrict deny forbid forbidden disallow prohibit reject refuse",
	"anonymous unauthenticated guest",
	"csrf xsrf",

	// Users and accounts.
	"user account member visitor",
	"login logon signin authenticate authentication auth",
	"logout logoff signout",
	"signup register registration",
	"admin administrator administration staff superuser backoffice",

	// Code.
	"function method procedure routine callable func fn",
	"error exception failure fault fail crash",
	"problem pitfall gotcha bug defect",
	"fix solve resolve repair remedy mitigate",
	"parameter param argument arg kwarg",
	"variable var",
	"value val",
	"string str text char varchar",
	"integer int bigint",
	"boolean bool",
	"dictionary dict hashmap",
	"timestamp datetime date",
	"inherit inheritance subclass extend derive",
	"decorator decorate",
	"wrap wrapper enclose",
	"customize customise customization tailor tweak",
	"hook callback handler listener receiver subscriber observer",
	"signal notify notification notified event",
	"code snippet",
	"package library lib module",
	"test testing unittest",
	"debug debugging troubleshoot",
	"log logging logger",
	"evaluate evaluation eval",
	"lazy lazily laziness",
	"loop iterate iteration iterating traverse",
	"compute computation calculate calculation calc",
	"result outcome",
	"condition criterion criteria predicate",
	"validate validation verify check",
	"serialize serializer serialization marshal encode",
	"parse deserialize decode",
	"concatenate concat interpolate interpolation",
	"search find lookup locate",
	"sort order ordering orderby arrange",
	"paginate pagination paginator",
	"duplicate copy clone replicate",
	"replace swap substitute",
	"define declare specify",
	"use utilize utilise employ leverage",
	"input payload",

	// Changing data.
	"delete remove drop erase destroy purge",
	"create add insert instantiate construct",
	"update modify change alter edit mutate",
	"save store persist write storage",
	"increment incr",
	"count tally total",
	"aggregate aggregation",

	// Web.
	"request req",
	"response resp",
	"url uri link href route routing endpoint",
	"page webpage",
	"template tmpl",
	"show display render present print",
	"submit submission",
	"email mail mailer",
	"send transmit",
	"css stylesheet",
	"javascript js ecmascript",
	"image picture photo img avatar",
	"api webservice",
	"websocket websockets",
	"http https",

	// Running software.
	"async asynchronous asynchronously concurrent concurrency concurrently parallel simultaneous await coroutine",
	"synchronous sync synchronously",
	"task job",
	"queue broker",
	"schedule scheduled scheduler cron periodic recurring",
	"worker workers",
	"background",
	"config configuration configure setting settings conf",
	"environment env",
	"production prod deploy deployment",
	"development dev",
	"application app",
	"server",
	"memory ram mem",
	"timeout expiry expire expiration ttl",
	"start begin launch",
	"finish terminate end",
	"require need necessary mandatory required",
	"allow permit enable",
	"disable",
	"avoid prevent eliminate stop",
	"automatic automatically auto",
	"immediate immediately instantly eagerly eager",
	"empty blank",
	"null nil nullable",
	"unique distinct uniq",
	"connection connect conn",
	"host hostname domain",
	"folder directory dir",
	"upload attach attachment",
	"install setup",
	"version release",
	"limit cap maximum max",
	"minimum min",
	"average avg",
	"list array sequence collection",
	"timezone tz",
	"translate translation internationalization localization locale",
	"compress compression gzip",
	"shard partition",
	"mock stub fake dummy",
	"initialize initialise init",
	"thread threading multithreading",
	"html markup",
	"stale outdated obsolete",
}

// phraseList maps multiword expressions onto one concept, given as a word of its synonym group. The words are matched after stemming and
// synonym mapping, so "sign in", "signed in" and "signing in" all match "sign in", and unlisted
// function words may sit between them ("log the user in" does not, since "user" is a content word).
var phraseList = []struct{ words, concept string }{
	{"foreign key", "fk"},
	{"many to many", "m2m"},
	{"one to one", "o2o"},
	{"primary key", "id"},
	{"log in", "login"},
	{"sign in", "login"},
	{"log on", "login"},
	{"log out", "logout"},
	{"sign out", "logout"},
	{"sign up", "signup"},
	{"roll back", "rollback"},
	{"back office", "admin"},
	{"cross site request forgery", "csrf"},
	{"cross site scripting", "xss"},
	{"object relational mapper", "orm"},
	{"object relational mapping", "orm"},
	{"web socket", "websocket"},
	{"n 1 query", "n+1"},
	{"n 1 problem", "n+1"},
	{"query per row", "n+1"},
	{"query for each row", "n+1"},
	{"query for every row", "n+1"},
	{"query in a loop", "n+1"},
	{"hit the database", "query"},
	{"database hit", "query"},
	{"round trip", "query"},
	{"speed up", "speed"},
	{"set up", "install"},
	{"turn off", "disable"},
	{"switch off", "disable"},
	{"time to live", "timeout"},
}

// abbreviations spell out shorthand whose long form is several words. Shorthand for one word sits in
// synonymGroups instead.
var abbreviations = map[string]string{
	"fk":   "foreign key",
	"pk":   "primary key",
	"m2m":  "many to many",
	"o2o":  "one to one",
	"csrf": "cross site request forgery",
	"xsrf": "cross site request forgery",
	"xss":  "cross site scripting",
	"sqli": "sql injection",
	"drf":  "django rest framework",
	"cbv":  "class based view",
	"cbvs": "class based views",
	"fbv":  "function based view",
	"fbvs": "function based views",
	"mvc":  "model view controller",
	"mvt":  "model view template",
	"crud": "create read update delete",
	"i18n": "internationalization",
	"l10n": "localization",
	"ttl":  "time to live",
	"cdn":  "content delivery network",
	"jwt":  "json web token",
	"spa":  "single page application",
	"ssr":  "server side rendering",
	"ui":   "user interface",
	"io":   "input output",
	"qs":   "queryset",
	"n1":   "n+1",
}

// stemOverrides fixes the few technical words the Porter2 stemmer conflates with unrelated ones:
// "authorization" would stem to "author", "production" to "product" and "settings" to "set".
var stemOverrides = map[string]string{
	"authorize": "authoriz", "authorizes": "authoriz", "authorized": "authoriz", "authorizing": "authoriz",
	"authorization": "authoriz", "authorizations": "authoriz", "authorise": "authoriz",
	"authorised": "authoriz", "authorisation": "authoriz",
	"production": "prod", "prod": "prod",
	"setting": "setting", "settings": "setting",
	"lazily": "lazi",
	"data":   "data",
	"media":  "media",
}

// stemWord stems a lowercase word for matching: Stem, with the overrides above.
func stemWord(w string) string {
	if s, ok := stemOverrides[w]; ok {
		return s
	}
	return Stem(w)
}

// phrase is a compiled phraseList entry.
type phrase struct {
	words   []string // canonical stems
	concept string
}

var (
	canonical    map[string]string
	synonymClash []string // words whose stem two groups claim; reported by the tests
	phrases      map[string][]phrase
)

func init() {
	canonical = make(map[string]string, 512)
	for _, g := range synonymGroups {
		words := strings.Fields(g)
		head := stemWord(words[0])
		for _, w := range words {
			s := stemWord(w)
			if c, ok := canonical[s]; ok && c != head {
				synonymClash = append(synonymClash, w)
				continue
			}
			if s != head {
				canonical[s] = head
			}
		}
		if _, ok := canonical[head]; !ok {
			canonical[head] = head
		}
	}
	phrases = make(map[string][]phrase, len(phraseList))
	for _, p := range phraseList {
		var ws []string
		for _, w := range Tokens(p.words) {
			if !IsStopword(w) {
				w = Canonical(stemWord(w))
			}
			ws = append(ws, w)
		}
		concept := Canonical(stemWord(p.concept))
		phrases[ws[0]] = append(phrases[ws[0]], phrase{words: ws, concept: concept})
	}
	related = buildRelated()
	// Longest phrases first, so "query for each row" wins over a shorter phrase of the same start.
	for k, ps := range phrases {
		for i := 1; i < len(ps); i++ {
			for j := i; j > 0 && len(ps[j].words) > len(ps[j-1].words); j-- {
				ps[j], ps[j-1] = ps[j-1], ps[j]
			}
		}
		phrases[k] = ps
	}
}

// Related returns the concepts associated with a concept without meaning the same: the mechanisms
// and tools of one topic, such as "cache" with "redis" and "memcached", or "anonymous" with "login".
// An embedder can give them a little weight so that a question naming the tool finds an answer
// naming the mechanism.
func Related(concept string) []string {
	return related[concept]
}

// relatedGroups lists topics, each as words whose concepts go together. Like synonymGroups, it is a
// glossary of web development, not of any particular question.
var relatedGroups = []string{
	"cache redis memcached",
	"celery task worker broker",
	"session cookie",
	"csrf token",
	"xss escape",
	"transaction commit rollback atomic savepoint",
	"migration schema",
	"n+1 select_related prefetch_related",
	"websocket asgi channels",
	"wsgi gunicorn uwsgi",
	"asgi uvicorn daphne",
	"serialize json",
	"aggregate annotate count sum average",
	"permission group role",
	"anonymous login",
	"signal post_save pre_save post_delete pre_delete",
	"lazy evaluate",
	"race lock",
}

// related is built by init from relatedGroups, once the synonym table exists.
var related map[string][]string

func buildRelated() map[string][]string {
	m := make(map[string][]string)
	for _, g := range relatedGroups {
		var concepts []string
		for _, w := range strings.Fields(g) {
			c := w
			if !strings.ContainsAny(w, "_+") {
				c = Canonical(stemWord(w))
			}
			concepts = append(concepts, c)
		}
		for _, a := range concepts {
			for _, b := range concepts {
				if a != b && !slices.Contains(m[a], b) {
					m[a] = append(m[a], b)
				}
			}
		}
	}
	return m
}
