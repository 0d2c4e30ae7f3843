// Package config reads Floe's server settings from the environment (and an
// optional .env file) once at startup, using Flowise's variable names where
// Flowise has one, and validates them so that a bad value stops the server
// with a single line naming the variable.
package config

import (
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"unicode"

	"github.com/caarlos0/env/v11"
	"github.com/joho/godotenv"
)

// Config holds every setting of the server. The zero value is not useful;
// build one with [Load] or [FromEnv].
type Config struct {
	Port int    `env:"PORT" envDefault:"3000"`
	Host string `env:"HOST"`

	DatabaseType     string `env:"DATABASE_TYPE" envDefault:"sqlite"`
	DatabasePath     string `env:"DATABASE_PATH"`
	DatabaseHost     string `env:"DATABASE_HOST" envDefault:"localhost"`
	DatabasePort     int    `env:"DATABASE_PORT" envDefault:"5432"`
	DatabaseUser     string `env:"DATABASE_USER"`
	DatabasePassword string `env:"DATABASE_PASSWORD"`
	DatabaseName     string `env:"DATABASE_NAME"`
	DatabaseSSL      bool   `env:"DATABASE_SSL" envDefault:"false"`

	SecretKeyPath      string `env:"SECRETKEY_PATH"`
	SecretKeyOverwrite string `env:"FLOWISE_SECRETKEY_OVERWRITE"`
	BlobStoragePath    string `env:"BLOB_STORAGE_PATH"`

	// StorageType selects the blob store for uploaded files: "local"
	// (under BlobStoragePath) or "s3". The S3 settings use Flowise's
	// names, except FLOE_S3_KEY_PREFIX, Floe's own.
	StorageType       string `env:"STORAGE_TYPE" envDefault:"local"`
	S3Bucket          string `env:"S3_STORAGE_BUCKET_NAME"`
	S3AccessKeyID     string `env:"S3_STORAGE_ACCESS_KEY_ID"`
	S3SecretAccessKey string `env:"S3_STORAGE_SECRET_ACCESS_KEY"`
	S3Region          string `env:"S3_STORAGE_REGION"`
	S3Endpoint        string `env:"S3_ENDPOINT_URL"`
	S3ForcePathStyle  bool   `env:"S3_FORCE_PATH_STYLE" envDefault:"false"`
	S3Prefix          string `env:"FLOE_S3_KEY_PREFIX"`
	// S3SessionToken is AWS_SESSION_TOKEN when the S3 keys come from
	// AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (used when the
	// S3_STORAGE_ keys are not set, as the AWS SDK in Flowise does).
	S3SessionToken     string
	AWSAccessKeyID     string `env:"AWS_ACCESS_KEY_ID"`
	AWSSecretAccessKey string `env:"AWS_SECRET_ACCESS_KEY"`
	AWSSessionToken    string `env:"AWS_SESSION_TOKEN"`

	FileSizeLimit ByteSize `env:"FLOWISE_FILE_SIZE_LIMIT" envDefault:"50mb"`

	CORSOrigins          string `env:"CORS_ORIGINS"`
	CORSAllowCredentials bool   `env:"CORS_ALLOW_CREDENTIALS" envDefault:"false"`
	IframeOrigins        string `env:"IFRAME_ORIGINS" envDefault:"'self'"`
	LogLevel             string `env:"LOG_LEVEL" envDefault:"info"`

	Username string `env:"FLOWISE_USERNAME"`
	Password string `env:"FLOWISE_PASSWORD"`
}

// ByteSize is a size in bytes read from strings such as "50mb", "512kb",
// "1gb" or "1048576" (the forms Flowise's body-parser limit accepts).
type ByteSize int64

// UnmarshalText parses a size such as "50mb".
func (b *ByteSize) UnmarshalText(text []byte) error {
	n, err := ParseByteSize(string(text))
	if err != nil {
		return err
	}
	*b = ByteSize(n)
	return nil
}

// ParseByteSize parses a human size: a number with an optional b, kb, mb or
// gb unit (case-insensitive, 1024-based as in the bytes package Flowise uses).
func ParseByteSize(s string) (int64, error) {
	t := strings.ToLower(strings.TrimSpace(s))
	mult := int64(1)
	for _, u := range []struct {
		suffix string
		mult   int64
	}{{"gb", 1 << 30}, {"mb", 1 << 20}, {"kb", 1 << 10}, {"b", 1}} {
		if strings.HasSuffix(t, u.suffix) {
			t, mult = strings.TrimSpace(strings.TrimSuffix(t, u.suffix)), u.mult
			break
		}
	}
	f, err := strconv.ParseFloat(t, 64)
	if err != nil || f <= 0 || f*float64(mult) > 1<<50 {
		return 0, fmt.Errorf("invalid size %q (want e.g. 50mb)", s)
	}
	return int64(f * float64(mult)), nil
}

// Load reads dotenvPath (when it exists; variables already in the
// environment win, as with Flowise's dotenv) and then the environment.
func Load(dotenvPath string) (*Config, error) {
	if dotenvPath != "" {
		if _, err := os.Stat(dotenvPath); err == nil {
			if err := godotenv.Load(dotenvPath); err != nil {
				return nil, fmt.Errorf("config: reading %s: %w", dotenvPath, err)
			}
		}
	}
	return FromEnv(os.Environ())
}

// FromEnv builds a Config from "KEY=value" pairs, applies defaults and
// validates every value. The error names the offending variable.
func FromEnv(environ []string) (*Config, error) {
	vars := make(map[string]string, len(environ))
	for _, kv := range environ {
		if k, v, ok := strings.Cut(kv, "="); ok {
			vars[k] = v
		}
	}
	var c Config
	if err := env.ParseWithOptions(&c, env.Options{Environment: vars}); err != nil {
		return nil, describe(err)
	}
	if err := c.finish(); err != nil {
		return nil, err
	}
	return &c, nil
}

// describe turns caarlos0/env's field-named errors into ones naming the
// environment variable.
func describe(err error) error {
	var agg env.AggregateError
	if errors.As(err, &agg) && len(agg.Errors) > 0 {
		err = agg.Errors[0]
	}
	var pe env.ParseError
	if errors.As(err, &pe) {
		return fmt.Errorf("config: %s: %v", envName(pe.Name), unwrapParse(pe.Err))
	}
	return fmt.Errorf("config: %w", err)
}

func unwrapParse(err error) string {
	var ne *strconv.NumError
	if errors.As(err, &ne) {
		return fmt.Sprintf("%q is not a valid %s", ne.Num, map[string]string{"ParseBool": "boolean (true/false)", "ParseInt": "integer"}[ne.Func])
	}
	return err.Error()
}

func envName(field string) string {
	if f, ok := reflect.TypeFor[Config]().FieldByName(field); ok {
		return f.Tag.Get("env")
	}
	return field
}

func (c *Config) finish() error {
	if c.Port < 1 || c.Port > 65535 {
		return fmt.Errorf("config: PORT: %d is out of range 1-65535", c.Port)
	}
	c.DatabaseType = strings.ToLower(strings.TrimSpace(c.DatabaseType))
	switch c.DatabaseType {
	case "sqlite":
	case "postgres":
		if c.DatabaseName == "" {
			return errors.New("config: DATABASE_NAME: required when DATABASE_TYPE=postgres")
		}
		if c.DatabasePort < 1 || c.DatabasePort > 65535 {
			return fmt.Errorf("config: DATABASE_PORT: %d is out of range 1-65535", c.DatabasePort)
		}
	default:
		return fmt.Errorf("config: DATABASE_TYPE: %q is not supported (sqlite or postgres)", c.DatabaseType)
	}
	if c.DatabasePath == "" {
		home, err := os.UserHomeDir()
		if err != nil {
			return fmt.Errorf("config: DATABASE_PATH: not set and no home directory: %w", err)
		}
		c.DatabasePath = filepath.Join(home, ".floe")
	}
	c.DatabasePath = expandHome(c.DatabasePath)
	if c.SecretKeyPath == "" {
		c.SecretKeyPath = c.DatabasePath
	}
	c.SecretKeyPath = expandHome(c.SecretKeyPath)
	if c.BlobStoragePath == "" {
		c.BlobStoragePath = filepath.Join(c.DatabasePath, "storage")
	}
	c.BlobStoragePath = expandHome(c.BlobStoragePath)
	if err := c.checkStorage(); err != nil {
		return err
	}
	switch strings.ToLower(c.LogLevel) {
	case "error", "warn", "info", "verbose", "debug":
		c.LogLevel = strings.ToLower(c.LogLevel)
	default:
		return fmt.Errorf("config: LOG_LEVEL: %q is not one of error, warn, info, verbose, debug", c.LogLevel)
	}
	if (c.Username == "") != (c.Password == "") {
		return errors.New("config: FLOWISE_USERNAME and FLOWISE_PASSWORD: set both or neither")
	}
	for _, o := range c.CORSList() {
		if o == "*" {
			continue
		}
		if u, err := url.Parse(o); err != nil || u.Scheme == "" || u.Host == "" {
			return fmt.Errorf("config: CORS_ORIGINS: %q is not an origin like https://example.com", o)
		}
	}
	return nil
}

var (
	bucketRE = regexp.MustCompile(`^[A-Za-z0-9._-]{3,255}$`)
	regionRE = regexp.MustCompile(`^[A-Za-z0-9-]{1,64}$`)
)

// checkStorage validates STORAGE_TYPE and, for s3, the S3 settings.
func (c *Config) checkStorage() error {
	c.StorageType = strings.ToLower(strings.TrimSpace(c.StorageType))
	switch c.StorageType {
	case "", "local":
		c.StorageType = "local"
		return nil
	case "s3":
	default:
		return fmt.Errorf("config: STORAGE_TYPE: %q is not supported (local or s3)", c.StorageType)
	}
	c.S3Bucket, c.S3Region, c.S3Endpoint = strings.TrimSpace(c.S3Bucket), strings.TrimSpace(c.S3Region), strings.TrimSpace(c.S3Endpoint)
	switch {
	case c.S3Bucket == "":
		return errors.New("config: S3_STORAGE_BUCKET_NAME: required when STORAGE_TYPE=s3")
	case !bucketRE.MatchString(c.S3Bucket):
		return fmt.Errorf("config: S3_STORAGE_BUCKET_NAME: %q is not a bucket name (3 to 255 characters of A-Z a-z 0-9 . _ -)", c.S3Bucket)
	case c.S3Region == "":
		return errors.New("config: S3_STORAGE_REGION: required when STORAGE_TYPE=s3 (e.g. us-east-1, or auto for Cloudflare R2)")
	case !regionRE.MatchString(c.S3Region):
		return fmt.Errorf("config: S3_STORAGE_REGION: %q is not a region like us-east-1", c.S3Region)
	case (c.S3AccessKeyID == "") != (c.S3SecretAccessKey == ""):
		return errors.New("config: S3_STORAGE_ACCESS_KEY_ID and S3_STORAGE_SECRET_ACCESS_KEY: set both or neither")
	}
	if c.S3AccessKeyID == "" {
		if c.AWSAccessKeyID == "" || c.AWSSecretAccessKey == "" {
			return errors.New("config: S3_STORAGE_ACCESS_KEY_ID and S3_STORAGE_SECRET_ACCESS_KEY: required when STORAGE_TYPE=s3 (or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY; instance roles are not supported)")
		}
		c.S3AccessKeyID, c.S3SecretAccessKey, c.S3SessionToken = c.AWSAccessKeyID, c.AWSSecretAccessKey, c.AWSSessionToken
	}
	if c.S3Endpoint != "" {
		u, err := url.Parse(c.S3Endpoint)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.User != nil || u.RawQuery != "" || u.Fragment != "" {
			return fmt.Errorf("config: S3_ENDPOINT_URL: %q is not a URL like https://s3.example.com", c.S3Endpoint)
		}
	}
	if p := strings.Trim(c.S3Prefix, "/"); p != "" {
		for el := range strings.SplitSeq(p, "/") {
			if el == "" || el == "." || el == ".." || strings.ContainsAny(el, `\%`) || strings.ContainsFunc(el, unicode.IsControl) {
				return fmt.Errorf("config: FLOE_S3_KEY_PREFIX: %q must be plain names separated by /", c.S3Prefix)
			}
		}
	}
	return nil
}

func expandHome(p string) string {
	if p == "~" || strings.HasPrefix(p, "~/") {
		if home, err := os.UserHomeDir(); err == nil {
			return filepath.Join(home, strings.TrimPrefix(p, "~"))
		}
	}
	return p
}

// Addr is the listen address built from HOST and PORT.
func (c *Config) Addr() string {
	return c.Host + ":" + strconv.Itoa(c.Port)
}

// SQLitePath is the database file used when DATABASE_TYPE is sqlite.
func (c *Config) SQLitePath() string {
	return filepath.Join(c.DatabasePath, "database.sqlite")
}

// PostgresDSN is the connection string built from the DATABASE_* variables.
func (c *Config) PostgresDSN() string {
	u := url.URL{
		Scheme: "postgres",
		Host:   c.DatabaseHost + ":" + strconv.Itoa(c.DatabasePort),
		Path:   "/" + c.DatabaseName,
	}
	if c.DatabaseUser != "" {
		if c.DatabasePassword != "" {
			u.User = url.UserPassword(c.DatabaseUser, c.DatabasePassword)
		} else {
			u.User = url.User(c.DatabaseUser)
		}
	}
	q := url.Values{}
	if c.DatabaseSSL {
		q.Set("sslmode", "require")
	} else {
		q.Set("sslmode", "disable")
	}
	u.RawQuery = q.Encode()
	return u.String()
}

// CORSList is CORS_ORIGINS split on commas, trimmed and lowercased.
func (c *Config) CORSList() []string {
	var out []string
	for _, o := range strings.Split(c.CORSOrigins, ",") {
		if o = strings.ToLower(strings.TrimSpace(o)); o != "" {
			out = append(out, strings.TrimSuffix(o, "/"))
		}
	}
	return out
}

// SlogLevel maps LOG_LEVEL (Flowise's winston levels) to a slog level.
func (c *Config) SlogLevel() slog.Level {
	switch c.LogLevel {
	case "error":
		return slog.LevelError
	case "warn":
		return slog.LevelWarn
	case "verbose", "debug":
		return slog.LevelDebug
	default:
		return slog.LevelInfo
	}
}

// BasicAuthEnabled reports whether FLOWISE_USERNAME and FLOWISE_PASSWORD are set.
func (c *Config) BasicAuthEnabled() bool {
	return c.Username != "" && c.Password != ""
}
