package config

import (
	"errors"
	"fmt"
	"net/url"
	"os"
	"reflect"
	"strconv"
	"strings"
	"time"

	"github.com/knadh/koanf/parsers/yaml"
	"github.com/knadh/koanf/providers/file"
	"github.com/knadh/koanf/v2"
	"go.uber.org/zap/zapcore"
)

// EnvPrefix starts every environment variable Inkwell reads.
const EnvPrefix = "INKWELL_"

// Setting describes one configurable value, for loading, errors and documentation.
type Setting struct {
	Key   string // YAML key, e.g. http.addr
	Env   string // environment variable, e.g. INKWELL_HTTP_ADDR
	Help  string
	field reflect.Value
}

// Error is a bad setting: it names the setting (as its environment variable) and the bad value.
type Error struct {
	Setting string
	Problem string
}

func (e *Error) Error() string { return e.Setting + ": " + e.Problem }

// Load builds the configuration from defaults, the optional YAML file at path ("" for none) and the
// environment (lookup, normally os.LookupEnv).
func Load(path string, lookup func(string) (string, bool)) (*Config, error) {
	cfg := Default()
	settings := Settings(&cfg)

	fileValues := koanf.New(".")
	if path != "" {
		if err := fileValues.Load(file.Provider(path), yaml.Parser()); err != nil {
			return nil, &Error{Setting: "--config", Problem: fmt.Sprintf("cannot read %q: %v", path, err)}
		}
		known := make(map[string]bool, len(settings))
		for _, s := range settings {
			known[s.Key] = true
		}
		for _, k := range fileValues.Keys() {
			if !known[k] {
				return nil, &Error{Setting: k, Problem: fmt.Sprintf("unknown setting in %s", path)}
			}
		}
	}

	for _, s := range settings {
		name, raw, ok := s.Env, "", false
		if v, found := lookup(s.Env); found {
			raw, ok = v, true
		} else if fileValues.Exists(s.Key) {
			name, raw, ok = s.Key, flatten(fileValues.Get(s.Key)), true
		}
		if !ok {
			continue
		}
		if err := assign(s.field, strings.TrimSpace(raw)); err != nil {
			return nil, &Error{Setting: name, Problem: fmt.Sprintf("%v: %q", err, raw)}
		}
	}
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	return &cfg, nil
}

// LoadFromEnvironment is Load with the process environment.
func LoadFromEnvironment(path string) (*Config, error) { return Load(path, os.LookupEnv) }

// Settings lists every setting of cfg, in declaration order.
func Settings(cfg *Config) []Setting {
	var out []Setting
	var walk func(v reflect.Value, prefix string)
	walk = func(v reflect.Value, prefix string) {
		t := v.Type()
		for i := 0; i < t.NumField(); i++ {
			f := t.Field(i)
			key := prefix + f.Tag.Get("koanf")
			if f.Type.Kind() == reflect.Struct && f.Type != reflect.TypeOf(time.Duration(0)) {
				walk(v.Field(i), key+".")
				continue
			}
			out = append(out, Setting{
				Key:   key,
				Env:   EnvPrefix + strings.ToUpper(strings.ReplaceAll(key, ".", "_")),
				Help:  f.Tag.Get("help"),
				field: v.Field(i),
			})
		}
	}
	walk(reflect.ValueOf(cfg).Elem(), "")
	return out
}

// Value renders the setting's current value the way it is written in the file or environment.
func (s Setting) Value() string {
	switch v := s.field.Interface().(type) {
	case []string:
		return strings.Join(v, ",")
	case []time.Duration:
		parts := make([]string, len(v))
		for i, d := range v {
			parts[i] = d.String()
		}
		return strings.Join(parts, ",")
	default:
		return fmt.Sprint(v)
	}
}

func flatten(v any) string {
	if list, ok := v.([]any); ok {
		parts := make([]string, len(list))
		for i, item := range list {
			parts[i] = fmt.Sprint(item)
		}
		return strings.Join(parts, ",")
	}
	return fmt.Sprint(v)
}

func assign(field reflect.Value, raw string) error {
	switch field.Interface().(type) {
	case string:
		field.SetString(raw)
	case bool:
		b, err := strconv.ParseBool(raw)
		if err != nil {
			return errors.New("not a boolean (true or false)")
		}
		field.SetBool(b)
	case int, int64:
		n, err := strconv.ParseInt(raw, 10, 64)
		if err != nil {
			return errors.New("not a whole number")
		}
		field.SetInt(n)
	case float64:
		f, err := strconv.ParseFloat(raw, 64)
		if err != nil {
			return errors.New("not a number")
		}
		field.SetFloat(f)
	case time.Duration:
		d, err := time.ParseDuration(raw)
		if err != nil {
			return errors.New("not a duration (e.g. 5s, 2m)")
		}
		field.SetInt(int64(d))
	case []string:
		field.Set(reflect.ValueOf(splitList(raw)))
	case []time.Duration:
		var ds []time.Duration
		for _, p := range splitList(raw) {
			d, err := time.ParseDuration(p)
			if err != nil || d <= 0 {
				return errors.New("not a list of positive durations (e.g. 5s,30s,2m)")
			}
			ds = append(ds, d)
		}
		field.Set(reflect.ValueOf(ds))
	default:
		return fmt.Errorf("unsupported setting type %s", field.Type())
	}
	return nil
}

func splitList(raw string) []string {
	var out []string
	for _, p := range strings.Split(raw, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

func (c *Config) validate() error {
	bad := func(setting, format string, args ...any) error {
		return &Error{Setting: EnvPrefix + setting, Problem: fmt.Sprintf(format, args...)}
	}
	if _, err := zapcore.ParseLevel(c.Log.Level); err != nil {
		return bad("LOG_LEVEL", "unknown level %q (use debug, info, warn or error)", c.Log.Level)
	}
	if c.Log.Format != "json" && c.Log.Format != "console" {
		return bad("LOG_FORMAT", "unknown format %q (use json or console)", c.Log.Format)
	}
	if c.HTTP.Addr == "" {
		return bad("HTTP_ADDR", "must not be empty")
	}
	if c.HTTP.BodyLimit <= 0 {
		return bad("HTTP_BODY_LIMIT", "must be a positive number of bytes, got %d", c.HTTP.BodyLimit)
	}
	if _, err := ParseDatabaseURL(c.Database.URL); err != nil {
		return bad("DATABASE_URL", "%v", err)
	}
	if err := validateReplicas(c.Database); err != nil {
		return bad("DATABASE_REPLICA_URLS", "%v", err)
	}
	if c.Database.MaxOpenConns < 1 || c.Database.MaxIdleConns < 0 {
		return bad("DATABASE_MAX_OPEN_CONNS", "must be at least 1 (and max_idle_conns at least 0)")
	}
	if c.Database.ListConcurrency < 0 || c.Database.ListWait <= 0 {
		return bad("DATABASE_LIST_CONCURRENCY", "must be 0 (automatic) or more (and list_wait positive)")
	}
	if c.Redis.URL != "" {
		if u, err := url.Parse(c.Redis.URL); err != nil || (u.Scheme != "redis" && u.Scheme != "rediss") {
			return bad("REDIS_URL", "not a redis:// or rediss:// URL: %q", c.Redis.URL)
		}
	}
	if c.Redis.BreakerFailures < 1 {
		return bad("REDIS_BREAKER_FAILURES", "must be at least 1, got %d", c.Redis.BreakerFailures)
	}
	if c.Cache.MaxEntries < 1 {
		return bad("CACHE_MAX_ENTRIES", "must be at least 1, got %d", c.Cache.MaxEntries)
	}
	if m := c.Markdown; m.MaxBodyBytes < 1 || m.MaxBodyBytes > 1<<20 {
		return bad("MARKDOWN_MAX_BODY_BYTES", "must be from 1 to 1048576 bytes, got %d", m.MaxBodyBytes)
	}
	for name, n := range map[string]int{
		"MARKDOWN_MAX_NESTING": c.Markdown.MaxNesting, "MARKDOWN_MAX_UNCLOSED_LINKS": c.Markdown.MaxUnclosedLinks,
		"MARKDOWN_MAX_TABLE_CELLS": c.Markdown.MaxTableCells, "MARKDOWN_MAX_HTML_BYTES": c.Markdown.MaxHTMLBytes,
	} {
		if n < 1 {
			return bad(name, "must be at least 1, got %d", n)
		}
	}
	if len(c.Webhook.RetrySchedule) == 0 {
		return bad("WEBHOOK_RETRY_SCHEDULE", "needs at least one delay")
	}
	if c.Webhook.Workers < 1 {
		return bad("WEBHOOK_WORKERS", "must be at least 1, got %d", c.Webhook.Workers)
	}
	if c.Webhook.BatchSize < 1 || c.Webhook.BatchSize > 1000 {
		return bad("WEBHOOK_BATCH_SIZE", "must be between 1 and 1000, got %d", c.Webhook.BatchSize)
	}
	if c.Webhook.EndpointParallelism < 1 {
		return bad("WEBHOOK_ENDPOINT_PARALLELISM", "must be at least 1, got %d", c.Webhook.EndpointParallelism)
	}
	if c.Webhook.Retention < 0 {
		return bad("WEBHOOK_RETENTION", "must be 0 (keep) or positive, got %s", c.Webhook.Retention)
	}
	if c.RateLimit.PublicRPS < 0 || c.RateLimit.TokenRPS < 0 || c.RateLimit.PublicBurst < 1 || c.RateLimit.TokenBurst < 1 {
		return bad("RATE_LIMIT_PUBLIC_RPS", "rates must be 0 (off) or positive, bursts at least 1")
	}
	if c.Identity.MaxActiveTokens < 1 {
		return bad("IDENTITY_MAX_ACTIVE_TOKENS", "must be at least 1, got %d", c.Identity.MaxActiveTokens)
	}
	if c.Identity.PrincipalCacheTTL < 0 {
		return bad("IDENTITY_PRINCIPAL_CACHE_TTL", "must be 0 (off) or positive, got %s", c.Identity.PrincipalCacheTTL)
	}
	if err := c.validatePreview(); err != nil {
		return err
	}
	if c.Metrics.Addr != "" && c.Metrics.Addr == c.HTTP.Addr {
		return bad("METRICS_ADDR", "must differ from http.addr (%s): metrics stay off the API listener", c.HTTP.Addr)
	}
	for name, d := range map[string]time.Duration{
		"HTTP_READ_HEADER_TIMEOUT": c.HTTP.ReadHeaderTimeout, "HTTP_SHUTDOWN_TIMEOUT": c.HTTP.ShutdownTimeout,
		"CONTENT_SCHEDULER_INTERVAL": c.Content.SchedulerInterval, "WEBHOOK_POLL_INTERVAL": c.Webhook.PollInterval,
		"WEBHOOK_TIMEOUT": c.Webhook.Timeout, "CACHE_INVALIDATION_RETRY_INTERVAL": c.Cache.InvalidationRetry,
		"REDIS_TIMEOUT": c.Redis.Timeout, "REDIS_BREAKER_COOLDOWN": c.Redis.BreakerCooldown,
		"MARKDOWN_RENDER_TIMEOUT": c.Markdown.RenderTimeout,
	} {
		if d <= 0 {
			return bad(name, "must be a positive duration, got %s", d)
		}
	}
	for name, d := range map[string]time.Duration{
		"DATABASE_CONNECT_TIMEOUT": c.Database.ConnectTimeout, "HTTP_PUBLIC_STALE_IF_ERROR": c.HTTP.PublicStaleIfError,
	} {
		if d < 0 {
			return bad(name, "must be 0 (off) or a positive duration, got %s", d)
		}
	}
	return nil
}
