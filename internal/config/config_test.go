package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestFromEnvDefaults(t *testing.T) {
	c, err := FromEnv([]string{"DATABASE_PATH=/tmp/floe-x"})
	if err != nil {
		t.Fatalf("FromEnv: %v", err)
	}
	if c.Port != 3000 || c.DatabaseType != "sqlite" || c.FileSizeLimit != 50<<20 || c.IframeOrigins != "'self'" {
		t.Errorf("got port %d type %q limit %d iframe %q, want 3000 sqlite 52428800 'self'", c.Port, c.DatabaseType, c.FileSizeLimit, c.IframeOrigins)
	}
	if got, want := c.SQLitePath(), "/tmp/floe-x/database.sqlite"; got != want {
		t.Errorf("SQLitePath: got %q, want %q", got, want)
	}
	if got, want := c.SecretKeyPath, "/tmp/floe-x"; got != want {
		t.Errorf("SecretKeyPath: got %q, want %q", got, want)
	}
	if got, want := c.BlobStoragePath, "/tmp/floe-x/storage"; got != want {
		t.Errorf("BlobStoragePath: got %q, want %q", got, want)
	}
}

func TestFromEnvInvalid(t *testing.T) {
	tests := []struct {
		name    string
		env     []string
		wantVar string
	}{
		{"port not a number", []string{"PORT=abc"}, "PORT"},
		{"port out of range", []string{"PORT=70000"}, "PORT"},
		{"unknown database", []string{"DATABASE_TYPE=oracle"}, "DATABASE_TYPE"},
		{"postgres without name", []string{"DATABASE_TYPE=postgres"}, "DATABASE_NAME"},
		{"bad db port", []string{"DATABASE_TYPE=postgres", "DATABASE_NAME=x", "DATABASE_PORT=x"}, "DATABASE_PORT"},
		{"bad ssl", []string{"DATABASE_SSL=maybe"}, "DATABASE_SSL"},
		{"bad size", []string{"FLOWISE_FILE_SIZE_LIMIT=lots"}, "FLOWISE_FILE_SIZE_LIMIT"},
		{"negative size", []string{"FLOWISE_FILE_SIZE_LIMIT=-5mb"}, "FLOWISE_FILE_SIZE_LIMIT"},
		{"bad log level", []string{"LOG_LEVEL=loud"}, "LOG_LEVEL"},
		{"username without password", []string{"FLOWISE_USERNAME=a"}, "FLOWISE_PASSWORD"},
		{"bad cors origin", []string{"CORS_ORIGINS=not a url"}, "CORS_ORIGINS"},
		{"unsupported storage", []string{"STORAGE_TYPE=gcs"}, "STORAGE_TYPE"},
		{"s3 without bucket", []string{"STORAGE_TYPE=s3", "S3_STORAGE_REGION=us-east-1"}, "S3_STORAGE_BUCKET_NAME"},
		{"s3 bad bucket", append(s3Env(), "S3_STORAGE_BUCKET_NAME=a/b"), "S3_STORAGE_BUCKET_NAME"},
		{"s3 without region", []string{"STORAGE_TYPE=s3", "S3_STORAGE_BUCKET_NAME=bucket"}, "S3_STORAGE_REGION"},
		{"s3 bad region", append(s3Env(), "S3_STORAGE_REGION=evil.com/"), "S3_STORAGE_REGION"},
		{"s3 key without secret", []string{"STORAGE_TYPE=s3", "S3_STORAGE_BUCKET_NAME=bucket", "S3_STORAGE_REGION=us-east-1", "S3_STORAGE_ACCESS_KEY_ID=a"}, "S3_STORAGE_SECRET_ACCESS_KEY"},
		{"s3 without keys", []string{"STORAGE_TYPE=s3", "S3_STORAGE_BUCKET_NAME=bucket", "S3_STORAGE_REGION=us-east-1"}, "S3_STORAGE_ACCESS_KEY_ID"},
		{"s3 bad endpoint", append(s3Env(), "S3_ENDPOINT_URL=minio:9000"), "S3_ENDPOINT_URL"},
		{"s3 bad path style", append(s3Env(), "S3_FORCE_PATH_STYLE=yes please"), "S3_FORCE_PATH_STYLE"},
		{"s3 bad prefix", append(s3Env(), "FLOE_S3_KEY_PREFIX=a/../b"), "FLOE_S3_KEY_PREFIX"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := FromEnv(append([]string{"DATABASE_PATH=/tmp/x"}, tc.env...))
			if err == nil {
				t.Fatalf("FromEnv(%v): got nil error, want one naming %s", tc.env, tc.wantVar)
			}
			if msg := err.Error(); !strings.Contains(msg, tc.wantVar) || strings.Contains(msg, "\n") {
				t.Errorf("got %q, want one line naming %s", msg, tc.wantVar)
			}
		})
	}
}

// s3Env is a valid S3 storage configuration.
func s3Env() []string {
	return []string{"STORAGE_TYPE=s3", "S3_STORAGE_BUCKET_NAME=bucket", "S3_STORAGE_REGION=us-east-1",
		"S3_STORAGE_ACCESS_KEY_ID=AKID", "S3_STORAGE_SECRET_ACCESS_KEY=secret"}
}

func TestFromEnvStorage(t *testing.T) {
	tests := []struct {
		name string
		env  []string
		want Config // the storage fields only
	}{
		{"default", nil, Config{StorageType: "local"}},
		{"empty type", []string{"STORAGE_TYPE="}, Config{StorageType: "local"}},
		{"s3", append(s3Env(), "STORAGE_TYPE=S3", "S3_ENDPOINT_URL=http://minio:9000", "S3_FORCE_PATH_STYLE=true", "FLOE_S3_KEY_PREFIX=floe/"),
			Config{StorageType: "s3", S3Bucket: "bucket", S3Region: "us-east-1", S3AccessKeyID: "AKID", S3SecretAccessKey: "secret",
				S3Endpoint: "http://minio:9000", S3ForcePathStyle: true, S3Prefix: "floe/"}},
		{"aws environment keys", []string{"STORAGE_TYPE=s3", "S3_STORAGE_BUCKET_NAME=bucket", "S3_STORAGE_REGION=eu-west-1",
			"AWS_ACCESS_KEY_ID=ASIA", "AWS_SECRET_ACCESS_KEY=s", "AWS_SESSION_TOKEN=tok"},
			Config{StorageType: "s3", S3Bucket: "bucket", S3Region: "eu-west-1", S3AccessKeyID: "ASIA", S3SecretAccessKey: "s", S3SessionToken: "tok"}},
		{"storage keys win", append(s3Env(), "AWS_ACCESS_KEY_ID=ASIA", "AWS_SECRET_ACCESS_KEY=s", "AWS_SESSION_TOKEN=tok"),
			Config{StorageType: "s3", S3Bucket: "bucket", S3Region: "us-east-1", S3AccessKeyID: "AKID", S3SecretAccessKey: "secret"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c, err := FromEnv(append([]string{"DATABASE_PATH=/tmp/x"}, tc.env...))
			if err != nil {
				t.Fatalf("FromEnv: %v", err)
			}
			got := Config{StorageType: c.StorageType, S3Bucket: c.S3Bucket, S3Region: c.S3Region, S3AccessKeyID: c.S3AccessKeyID,
				S3SecretAccessKey: c.S3SecretAccessKey, S3SessionToken: c.S3SessionToken, S3Endpoint: c.S3Endpoint,
				S3ForcePathStyle: c.S3ForcePathStyle, S3Prefix: c.S3Prefix}
			if got != tc.want {
				t.Errorf("got %+v, want %+v", got, tc.want)
			}
		})
	}
}

func TestParseByteSize(t *testing.T) {
	tests := []struct {
		in   string
		want int64
	}{
		{"50mb", 50 << 20}, {"50MB", 50 << 20}, {"1gb", 1 << 30}, {"512kb", 512 << 10}, {"100", 100}, {"10b", 10}, {"1.5mb", 3 << 19},
	}
	for _, tc := range tests {
		got, err := ParseByteSize(tc.in)
		if err != nil || got != tc.want {
			t.Errorf("ParseByteSize(%q): got %d, %v, want %d", tc.in, got, err, tc.want)
		}
	}
}

func TestPostgresDSN(t *testing.T) {
	c, err := FromEnv([]string{"DATABASE_TYPE=postgres", "DATABASE_NAME=floe", "DATABASE_HOST=db", "DATABASE_USER=u", "DATABASE_PASSWORD=p@ss", "DATABASE_SSL=true"})
	if err != nil {
		t.Fatalf("FromEnv: %v", err)
	}
	if got, want := c.PostgresDSN(), "postgres://u:p%40ss@db:5432/floe?sslmode=require"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestLoadDotenv(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, ".env")
	if err := os.WriteFile(p, []byte("FLOE_TEST_DOTENV_PORT=1\nLOG_LEVEL_UNUSED=x\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("FLOE_TEST_DOTENV_PORT", "") // ensure cleanup restores it
	os.Unsetenv("FLOE_TEST_DOTENV_PORT")
	if _, err := Load(p); err != nil {
		t.Fatalf("Load: %v", err)
	}
	if got := os.Getenv("FLOE_TEST_DOTENV_PORT"); got != "1" {
		t.Errorf("got %q, want the value from .env", got)
	}
}
