// Package config loads Inkwell's settings: built-in defaults, then an optional YAML file, then
// INKWELL_* environment variables. Every setting is a field here with its default; a bad value stops
// start-up with an error naming the setting.
package config

import "time"

// Config is every setting Inkwell has. The koanf tag is the key in the YAML file; the environment
// variable is INKWELL_ + the key upper-cased with dots as underscores (http.addr -> INKWELL_HTTP_ADDR).
type Config struct {
	HTTP      HTTP      `koanf:"http"`
	Database  Database  `koanf:"database"`
	Log       Log       `koanf:"log"`
	Redis     Redis     `koanf:"redis"`
	Cache     Cache     `koanf:"cache"`
	Admin     Admin     `koanf:"admin"`
	Content   Content   `koanf:"content"`
	Markdown  Markdown  `koanf:"markdown"`
	Webhook   Webhook   `koanf:"webhook"`
	RateLimit RateLimit `koanf:"rate_limit"`
	Identity  Identity  `koanf:"identity"`
	Metrics   Metrics   `koanf:"metrics"`
	Debug     Debug     `koanf:"debug"`
	Site      Site      `koanf:"site"`
	Preview   Preview   `koanf:"preview"`
}

// HTTP is the API listener.
type HTTP struct {
	Addr               string        `koanf:"addr" help:"address the API listens on"`
	ReadHeaderTimeout  time.Duration `koanf:"read_header_timeout" help:"time a client has to send the request headers (slowloris guard)"`
	ReadTimeout        time.Duration `koanf:"read_timeout" help:"time a client has to send the whole request"`
	WriteTimeout       time.Duration `koanf:"write_timeout" help:"time to write the response"`
	IdleTimeout        time.Duration `koanf:"idle_timeout" help:"how long an idle keep-alive connection stays open"`
	ShutdownTimeout    time.Duration `koanf:"shutdown_timeout" help:"how long in-flight requests may finish after SIGTERM"`
	BodyLimit          int64         `koanf:"body_limit" help:"largest request body in bytes (larger is 413)"`
	CORSOrigins        []string      `koanf:"cors_origins" help:"origins allowed by CORS, comma separated; * allows any"`
	TrustedProxies     []string      `koanf:"trusted_proxies" help:"proxies (IPs or CIDRs) whose X-Forwarded-For is believed, comma separated"`
	PublicMaxAge       time.Duration `koanf:"public_max_age" help:"Cache-Control max-age of public GETs"`
	PublicStaleWhile   time.Duration `koanf:"public_stale_while_revalidate" help:"Cache-Control stale-while-revalidate of public GETs"`
	PublicStaleIfError time.Duration `koanf:"public_stale_if_error" help:"Cache-Control stale-if-error of public GETs: how long caches may serve an answer when the API fails (RFC 5861)"`
}

// Database is the primary store.
type Database struct {
	URL                string        `koanf:"url" help:"sqlite:PATH or postgres://user@host:5432/db?sslmode=disable"`
	MaxOpenConns       int           `koanf:"max_open_conns" help:"largest number of open connections in the pool"`
	MaxIdleConns       int           `koanf:"max_idle_conns" help:"idle connections kept in the pool"`
	ConnMaxLifetime    time.Duration `koanf:"conn_max_lifetime" help:"a connection older than this is closed and replaced"`
	ConnectTimeout     time.Duration `koanf:"connect_timeout" help:"PostgreSQL: time to open a connection before the request fails with 503; 0 = no limit (a connect_timeout in the URL wins)"`
	SlowQueryThreshold time.Duration `koanf:"slow_query_threshold" help:"queries slower than this are logged at warn"`
	AutoMigrate        bool          `koanf:"auto_migrate" help:"apply pending migrations when serve starts"`
	ListConcurrency    int           `koanf:"list_concurrency" help:"expensive article list queries (pages at an offset, counts) run at once at most, the others wait, so other reads never queue behind a flood of deep pages; 0 = one less than the CPUs Go uses (at least 1)"`
	ListWait           time.Duration `koanf:"list_wait" help:"longest wait for a slot of list_concurrency; past it the list answers 503 lists_busy with Retry-After"`
	ReplicaURLs        []string      `koanf:"replica_urls" help:"PostgreSQL streaming replicas (postgres:// URLs, comma separated) that may answer public reads once they have replayed the writes the read needs; empty = every read on the primary"`
	ReplicaPoll        time.Duration `koanf:"replica_poll" help:"how often each replica's replayed WAL position is read (a read that needs a newer one also asks at once)"`
}

// Log is the structured logger.
type Log struct {
	Level     string `koanf:"level" help:"debug, info, warn or error"`
	Format    string `koanf:"format" help:"json or console"`
	AccessLog bool   `koanf:"access_log" help:"one log line per request"`
}

// Redis is the optional shared cache and rate-limit store. Every call to it has its own short
// timeout and goes through a circuit breaker, so a slow or dead Redis costs speed, never an error.
type Redis struct {
	URL             string        `koanf:"url" help:"redis://host:6379/0; empty uses an in-process cache"`
	Timeout         time.Duration `koanf:"timeout" help:"time one cache or rate-limit call may take before it counts as failed"`
	BreakerFailures int           `koanf:"breaker_failures" help:"consecutive failed calls that open the circuit breaker (calls then fail at once)"`
	BreakerCooldown time.Duration `koanf:"breaker_cooldown" help:"how long the breaker stays open before one call probes Redis again"`
}

// Cache tunes cache-aside on the public API.
type Cache struct {
	Enabled           bool          `koanf:"enabled" help:"cache public reads (turn off to measure the database path)"`
	Prefix            string        `koanf:"prefix" help:"prefix of every cache key (share one Redis between installations)"`
	TTL               time.Duration `koanf:"ttl" help:"how long a cached entry lives at most"`
	MaxEntries        int           `koanf:"max_entries" help:"size bound of the in-process cache"`
	DoubleDeleteDelay time.Duration `koanf:"double_delete_delay" help:"delay of the second cache delete after a write"`
	InvalidationRetry time.Duration `koanf:"invalidation_retry_interval" help:"how often every write's invalidation is re-applied until the cache accepts it: no read is stale for longer once the cache answers"`
}

// Admin is the first-start administrator.
type Admin struct {
	Email string `koanf:"email" help:"email of the admin created on first start"`
}

// Content tunes editorial content.
type Content struct {
	TrashRetention    time.Duration `koanf:"trash_retention" help:"trashed articles older than this are purged"`
	SchedulerInterval time.Duration `koanf:"scheduler_interval" help:"how often scheduled articles are checked"`
}

// Markdown bounds the work of rendering one article body; a body over a limit is refused with 422
// body_limit_exceeded naming the limit. Rendering runs before any transaction opens.
type Markdown struct {
	MaxBodyBytes     int           `koanf:"max_body_bytes" help:"largest body_markdown in bytes (at most 1048576)"`
	MaxNesting       int           `koanf:"max_nesting" help:"deepest nesting of blockquotes and lists on one line"`
	MaxUnclosedLinks int           `koanf:"max_unclosed_links" help:"link openers \"](\" without a closing \")\" on their line, per body"`
	MaxTableCells    int           `koanf:"max_table_cells" help:"cells of all tables of a body, short rows counted as full"`
	MaxHTMLBytes     int           `koanf:"max_html_bytes" help:"largest rendered HTML in bytes (reference links can amplify)"`
	RenderTimeout    time.Duration `koanf:"render_timeout" help:"a render running longer is stopped and the body refused"`
}

// Webhook tunes event delivery.
type Webhook struct {
	AllowPrivateTargets bool            `koanf:"allow_private_targets" help:"allow webhook URLs on loopback or private networks"`
	RetrySchedule       []time.Duration `koanf:"retry_schedule" help:"delays between delivery attempts, comma separated"`
	Timeout             time.Duration   `koanf:"timeout" help:"time a receiver has to answer"`
	PollInterval        time.Duration   `koanf:"poll_interval" help:"how often relay workers look for due deliveries"`
	Workers             int             `koanf:"workers" help:"concurrent delivery batches per node"`
	BatchSize           int             `koanf:"batch_size" help:"due deliveries one worker claims and records per transaction"`
	EndpointParallelism int             `koanf:"endpoint_parallelism" help:"requests in flight per endpoint within a batch"`
	Retention           time.Duration   `koanf:"retention" help:"finished deliveries and dispatched outbox events older than this are purged (0 keeps them)"`
}

// RateLimit is the token bucket per client IP (public, on by default) and per user (management); a
// rate of 0 disables.
type RateLimit struct {
	PublicRPS   float64 `koanf:"public_rps" help:"public requests per second per client IP (0 = off)"`
	PublicBurst int     `koanf:"public_burst" help:"public burst per client IP"`
	TokenRPS    float64 `koanf:"token_rps" help:"management requests per second per user, all their tokens together (0 = off)"`
	TokenBurst  int     `koanf:"token_burst" help:"management burst per user, all their tokens together"`
}

// Identity bounds what one account may hold.
type Identity struct {
	MaxActiveTokens int `koanf:"max_active_tokens" help:"most unrevoked, unexpired API tokens one user may hold (more is 422 too_many_tokens)"`
	// PrincipalCacheTTL bounds the reuse of an authenticated token; revocations and user changes
	// retire reused principals at once through the cache generation, this only bounds what a
	// generation cannot see (a bump Redis refused; a CLI change against an in-process cache).
	PrincipalCacheTTL time.Duration `koanf:"principal_cache_ttl" help:"how long an authenticated token's principal is reused at most (a revocation or user change ends it at once through the cache; needs cache.enabled); 0 = authenticate every request against the database"`
}

// Metrics is the Prometheus listener, kept off the API listener: request counts per management
// route, 401 rates and pool figures are for operators, not for the API's clients.
type Metrics struct {
	Addr string `koanf:"addr" help:"address of the listener serving GET /metrics, apart from the API; empty = no metrics endpoint"`
}

// Debug holds the off-by-default profiling listener.
type Debug struct {
	PprofAddr string `koanf:"pprof_addr" help:"address of the pprof listener; empty = off"`
}

// Site is what Inkwell knows of the frontend that shows the content.
type Site struct {
	PreviewURL string `koanf:"preview_url" help:"template of the frontend's preview link, e.g. https://example.com/preview/{slug}?token={token} ({id} is the article id); empty = no link in preview token answers"`
}

// Preview bounds the preview tokens of draft and pending-change previews.
type Preview struct {
	TokenTTL    time.Duration `koanf:"token_ttl" help:"how long a preview token lives when its request names no expiry"`
	MaxTokenTTL time.Duration `koanf:"max_token_ttl" help:"the longest expiry a preview token may ask for"`
}

// Default returns the built-in defaults: the binary runs with no file at all.
func Default() Config {
	return Config{
		HTTP: HTTP{
			Addr:              "127.0.0.1:8080",
			ReadHeaderTimeout: 5 * time.Second,
			ReadTimeout:       30 * time.Second,
			WriteTimeout:      30 * time.Second,
			IdleTimeout:       120 * time.Second,
			ShutdownTimeout:   15 * time.Second,
			BodyLimit:         2 << 20,
			CORSOrigins:       []string{"*"},
			TrustedProxies:    nil,
			PublicMaxAge:      60 * time.Second,
			PublicStaleWhile:  300 * time.Second,
			// A day: a CDN or browser keeps serving what it has through a database restart or an
			// outage (RFC 5861), and never for longer than the content could have changed unseen.
			PublicStaleIfError: 24 * time.Hour,
		},
		Database: Database{
			URL:                "sqlite:data/inkwell.db",
			MaxOpenConns:       20,
			MaxIdleConns:       10,
			ConnMaxLifetime:    30 * time.Minute,
			ConnectTimeout:     5 * time.Second,
			SlowQueryThreshold: 200 * time.Millisecond,
			AutoMigrate:        true,
			ListConcurrency:    0,
			ListWait:           10 * time.Second,
			ReplicaPoll:        25 * time.Millisecond,
		},
		Log:   Log{Level: "info", Format: "json", AccessLog: true},
		Redis: Redis{Timeout: 100 * time.Millisecond, BreakerFailures: 1, BreakerCooldown: 2 * time.Second},
		Cache: Cache{
			Enabled: true, Prefix: "inkwell:", TTL: 5 * time.Minute, MaxEntries: 10000, DoubleDeleteDelay: 500 * time.Millisecond,
			InvalidationRetry: time.Second,
		},
		Admin: Admin{Email: "admin@localhost"},
		Content: Content{
			TrashRetention:    30 * 24 * time.Hour,
			SchedulerInterval: time.Second,
		},
		Markdown: Markdown{
			MaxBodyBytes: 1 << 20, MaxNesting: 32, MaxUnclosedLinks: 64, MaxTableCells: 100_000,
			MaxHTMLBytes: 8 << 20, RenderTimeout: 2 * time.Second,
		},
		Webhook: Webhook{
			RetrySchedule: []time.Duration{5 * time.Second, 30 * time.Second, 2 * time.Minute, 10 * time.Minute,
				time.Hour, 3 * time.Hour, 6 * time.Hour, 12 * time.Hour},
			Timeout:             10 * time.Second,
			PollInterval:        time.Second,
			Workers:             4,
			BatchSize:           100,
			EndpointParallelism: 8,
			Retention:           7 * 24 * time.Hour,
		},
		// The public limit ships on: generous for a reader or a build, a ceiling for a flood from one
		// address. Behind a proxy, list it in http.trusted_proxies so the client's address counts.
		RateLimit: RateLimit{PublicRPS: 50, PublicBurst: 100, TokenRPS: 0, TokenBurst: 50},
		Identity:  Identity{MaxActiveTokens: 20},
		Metrics:   Metrics{Addr: "127.0.0.1:9464"},
		Preview:   Preview{TokenTTL: 24 * time.Hour, MaxTokenTTL: 7 * 24 * time.Hour},
	}
}
