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
