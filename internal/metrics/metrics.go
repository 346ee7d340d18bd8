// Package metrics exposes the coach's figures in the Prometheus text format, with the official client
// (github.com/prometheus/client_golang). It is the only package that imports it: the packages that
// have something to report define small observer interfaces where they use them (api.Observer,
// grading.Observer, retrieve.Observer, openai.Observer, ingest.Observer), and *Metrics implements
// them all.
package metrics

import (
	"net/http"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/interviewcoach/coach/internal/coach"
)

// Histogram buckets, in seconds. Requests and gradings reach a minute when a slow model grades;
// retrieval is an embedding and a few indexed queries.
var (
	slowBuckets = []float64{.005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30, 60, 120}
	fastBuckets = []float64{.0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5}
)

// Metrics holds every series of the coach in a registry of its own. It is safe for concurrent use.
type Metrics struct {
	registry *prometheus.Registry

	httpDuration  *prometheus.HistogramVec
	grading       *prometheus.HistogramVec
	fallbacks     prometheus.Counter
	retrieval     *prometheus.HistogramVec
	modelRequests *prometheus.CounterVec
	modelDuration *prometheus.HistogramVec
	modelRetries  *prometheus.CounterVec
	modelErrors   *prometheus.CounterVec
	modelTokens   *prometheus.CounterVec
	importDocs    *prometheus.CounterVec
	importItems   *prometheus.CounterVec
}

// New returns the coach's metrics, with the Go runtime's and the process's own.
func New() *Metrics {
	m := &Metrics{registry: prometheus.NewRegistry()}
	m.httpDuration = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name:    "coach_http_request_duration_seconds",
		Help:    "Time to answer an HTTP request, by method, route pattern and status.",
		Buckets: slowBuckets,
	}, []string{"method", "route", "status"})
	m.grading = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name:    "coach_grading_duration_seconds",
		Help:    "Time the grader took to judge an answer, by grader kind (llm, offline) and outcome (ok or an error code).",
		Buckets: slowBuckets,
	}, []string{"grader", "outcome"})
	m.fallbacks = prometheus.NewCounter(prometheus.CounterOpts{
		Name: "coach_grading_fallbacks_total",
		Help: "Answers graded offline because the language model was unavailable or refused the request (COACH_FALLBACK=offline).",
	})
	m.retrieval = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name:    "coach_retrieval_duration_seconds",
		Help:    "Time to retrieve references: for a grading (grade) or a search request (search).",
		Buckets: fastBuckets,
	}, []string{"op"})
	m.modelRequests = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "coach_model_requests_total",
		Help: "Requests sent to the language model server (each retry is one), by operation and outcome.",
	}, []string{"op", "outcome"})
	m.modelDuration = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name:    "coach_model_request_duration_seconds",
		Help:    "Time one request to the language model server took, by operation.",
		Buckets: slowBuckets,
	}, []string{"op"})
	m.modelRetries = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "coach_model_retries_total",
		Help: "Model requests retried, by operation and the failure that caused the retry.",
	}, []string{"op", "reason"})
	m.modelErrors = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "coach_model_errors_total",
		Help: "Model calls that failed for good, after any retries, by operation and reason.",
	}, []string{"op", "reason"})
	m.modelTokens = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "coach_model_tokens_total",
		Help: "Tokens the language model server reported using, by operation and kind (prompt, completion).",
	}, []string{"op", "kind"})
	m.importDocs = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "coach_import_documents_total",
		Help: "Documents imported into the bank, by outcome (ok, failed).",
	}, []string{"outcome"})
	m.importItems = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "coach_import_items_total",
		Help: "What imports stored or left alone, by kind (questions, references, duplicates, ...).",
	}, []string{"kind"})
	m.registry.MustRegister(
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		m.httpDuration, m.grading, m.fallbacks, m.retrieval,
		m.modelRequests, m.modelDuration, m.modelRetries, m.modelErrors, m.modelTokens,
		m.importDocs, m.importItems,
	)
	return m
}

// Handler serves the metrics in the Prometheus text format.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.registry, promhttp.HandlerOpts{Registry: m.registry})
}

// ObserveRequest records an HTTP request. route is the route pattern ("/api/v1/questions/:id"),
// never the raw path, so the series stay few.
func (m *Metrics) ObserveRequest(method, route string, status int, d time.Duration) {
	m.httpDuration.WithLabelValues(method, route, strconv.Itoa(status)).Observe(d.Seconds())
}

// ObserveGrading records one judgement of an answer by grader ("llm" or "offline"), which took d
// and failed with err (nil for success); fallback says it was the offline fallback.
func (m *Metrics) ObserveGrading(grader string, fallback bool, err error, d time.Duration) {
	outcome := "ok"
	if err != nil {
		outcome = coach.ErrorCode(err)
	}
	m.grading.WithLabelValues(grader, outcome).Observe(d.Seconds())
	if fallback {
		m.fallbacks.Inc()
	}
}

// ObserveRetrieval records how long retrieving references took for op ("grade" or "search").
func (m *Metrics) ObserveRetrieval(op string, d time.Duration) {
	m.retrieval.WithLabelValues(op).Observe(d.Seconds())
}

// ModelRequest records one request to the model server: its operation ("grade", "keypoints",
// "embed"), duration and outcome ("ok" or why it failed).
func (m *Metrics) ModelRequest(op string, d time.Duration, outcome string) {
	m.modelRequests.WithLabelValues(op, outcome).Inc()
	m.modelDuration.WithLabelValues(op).Observe(d.Seconds())
}

// ModelRetry records a model request about to be retried after failing with reason.
func (m *Metrics) ModelRetry(op, reason string) {
	m.modelRetries.WithLabelValues(op, reason).Inc()
}

// ModelError records a model call that failed for good.
func (m *Metrics) ModelError(op, reason string) {
	m.modelErrors.WithLabelValues(op, reason).Inc()
}

// ModelTokens records the tokens a model reply reported.
func (m *Metrics) ModelTokens(op string, prompt, completion int) {
	m.modelTokens.WithLabelValues(op, "prompt").Add(float64(prompt))
	m.modelTokens.WithLabelValues(op, "completion").Add(float64(completion))
}

// ObserveImport records one imported document: whether it failed, and what it stored or skipped by
// kind.
func (m *Metrics) ObserveImport(failed bool, counts map[string]int) {
	outcome := "ok"
	if failed {
		outcome = "failed"
	}
	m.importDocs.WithLabelValues(outcome).Inc()
	for kind, n := range counts {
		if n > 0 {
			m.importItems.WithLabelValues(kind).Add(float64(n))
		}
	}
}

// PoolStats are the figures of a database connection pool at one instant.
type PoolStats struct {
	Acquired, Idle, Constructing, Max int32
	// The counters below only grow.
	Acquires, EmptyAcquires, CanceledAcquires, NewConnections int64
	AcquireWait                                               time.Duration
}

// RegisterPool exports the figures stat returns, read at each scrape. Call it once.
func (m *Metrics) RegisterPool(stat func() PoolStats) {
	m.registry.MustRegister(poolCollector{stat})
}

var (
	poolConnsDesc = prometheus.NewDesc("coach_db_pool_connections",
		"Connections of the database pool, by state (acquired, idle, constructing).", []string{"state"}, nil)
	poolMaxDesc = prometheus.NewDesc("coach_db_pool_max_connections",
		"Most connections the database pool may open.", nil, nil)
	poolAcquiresDesc = prometheus.NewDesc("coach_db_pool_acquires_total",
		"Connections acquired from the pool.", nil, nil)
	poolEmptyDesc = prometheus.NewDesc("coach_db_pool_empty_acquires_total",
		"Acquires that had to wait for a connection or open one because none was idle.", nil, nil)
	poolCanceledDesc = prometheus.NewDesc("coach_db_pool_canceled_acquires_total",
		"Acquires given up because the caller's context ended.", nil, nil)
	poolNewDesc = prometheus.NewDesc("coach_db_pool_new_connections_total",
		"Connections the pool opened.", nil, nil)
	poolWaitDesc = prometheus.NewDesc("coach_db_pool_acquire_wait_seconds_total",
		"Time spent acquiring connections.", nil, nil)
)

// poolCollector reads the pool once per scrape, so the figures of one scrape agree with each other.
type poolCollector struct {
	stat func() PoolStats
}

// Describe implements prometheus.Collector.
func (c poolCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{poolConnsDesc, poolMaxDesc, poolAcquiresDesc, poolEmptyDesc,
		poolCanceledDesc, poolNewDesc, poolWaitDesc} {
		ch <- d
	}
}

// Collect implements prometheus.Collector.
func (c poolCollector) Collect(ch chan<- prometheus.Metric) {
	s := c.stat()
	gauge := func(d *prometheus.Desc, v float64, labels ...string) {
		ch <- prometheus.MustNewConstMetric(d, prometheus.GaugeValue, v, labels...)
	}
	counter := func(d *prometheus.Desc, v float64) {
		ch <- prometheus.MustNewConstMetric(d, prometheus.CounterValue, v)
	}
	gauge(poolConnsDesc, float64(s.Acquired), "acquired")
	gauge(poolConnsDesc, float64(s.Idle), "idle")
	gauge(poolConnsDesc, float64(s.Constructing), "constructing")
	gauge(poolMaxDesc, float64(s.Max))
	counter(poolAcquiresDesc, float64(s.Acquires))
	counter(poolEmptyDesc, float64(s.EmptyAcquires))
	counter(poolCanceledDesc, float64(s.CanceledAcquires))
	counter(poolNewDesc, float64(s.NewConnections))
	counter(poolWaitDesc, s.AcquireWait.Seconds())
}
