// Command floe is the Floe server: a Flowise-compatible LLM flow server.
//
//	floe [start]                      serve the API (the default)
//	floe version                      print the version
//	floe import [--type T] [--name N] file.json...
//	                                  create chatflows from Flowise export files
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"runtime/debug"
	"runtime/pprof"
	"strings"
	"syscall"
	"time"

	"github.com/floehq/floe/internal/config"
	"github.com/floehq/floe/internal/credentials"
	"github.com/floehq/floe/internal/netguard"
	"github.com/floehq/floe/internal/node"
	"github.com/floehq/floe/internal/nodes/all"
	"github.com/floehq/floe/internal/server"
	"github.com/floehq/floe/internal/store"
)

// version is set at build time with -ldflags "-X main.version=...".
var version = ""

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "floe:", err)
		os.Exit(1)
	}
}

// run dispatches a subcommand. It returns when the command is done, or for
// start when ctx is cancelled and the server has shut down.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	cmd := "start"
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		cmd, args = args[0], args[1:]
	}
	switch cmd {
	case "start":
		return start(ctx, stderr)
	case "version":
		fmt.Fprintln(stdout, "floe", floeVersion())
		return nil
	case "import":
		return importCmd(ctx, args, stdout, stderr)
	case "help", "-h", "--help":
		fmt.Fprintln(stdout, "usage: floe [start] | floe version | floe import [--type TYPE] [--name NAME] file.json...")
		return nil
	default:
		return fmt.Errorf("unknown command %q (want start, version or import)", cmd)
	}
}

func floeVersion() string {
	if version != "" {
		return version
	}
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		return bi.Main.Version
	}
	return "dev"
}

// app is everything start and import share: config, logger and store.
type app struct {
	cfg *config.Config
	log *slog.Logger
	db  *store.DB
}

func openApp(ctx context.Context, stderr io.Writer) (*app, error) {
	cfg, err := config.Load(".env")
	if err != nil {
		return nil, err
	}
	log := slog.New(slog.NewJSONHandler(stderr, &slog.HandlerOptions{Level: cfg.SlogLevel()}))
	opts := store.Options{Type: cfg.DatabaseType}
	if cfg.DatabaseType == "postgres" {
		opts.PostgresDSN = cfg.PostgresDSN()
	} else {
		if err := os.MkdirAll(cfg.DatabasePath, 0o700); err != nil {
			return nil, fmt.Errorf("creating DATABASE_PATH %s: %w", cfg.DatabasePath, err)
		}
		opts.SQLitePath = cfg.SQLitePath()
	}
	db, err := store.Open(ctx, opts)
	if err != nil {
		return nil, fmt.Errorf("opening %s database: %w", cfg.DatabaseType, err)
	}
	return &app{cfg: cfg, log: log, db: db}, nil
}

func start(ctx context.Context, stderr io.Writer) error {
	began := time.Now()
	if os.Getenv("GOGC") == "" {
		// The live heap is small (tens of MiB); collecting at 200% instead
		// of 100% halves GC work under load for a few MiB of RSS.
		debug.SetGCPercent(200)
	}
	if path := os.Getenv("FLOE_CPUPROFILE"); path != "" {
		// A debugging aid: profile the whole run, written at shutdown.
		f, err := os.Create(path)
		if err != nil {
			return fmt.Errorf("FLOE_CPUPROFILE: %w", err)
		}
		if err := pprof.StartCPUProfile(f); err != nil {
			return fmt.Errorf("FLOE_CPUPROFILE: %w", err)
		}
		defer func() { pprof.StopCPUProfile(); f.Close() }()
	}
	a, err := openApp(ctx, stderr)
	if err != nil {
		return err
	}
	defer a.db.Close()
	secret, err := credentials.LoadSecretKey(a.cfg.SecretKeyPath, a.cfg.SecretKeyOverwrite)
	if err != nil {
		return fmt.Errorf("loading secret key: %w", err)
	}
	cipher, err := credentials.NewCipher(secret)
	if err != nil {
		return fmt.Errorf("loading secret key: %w", err)
	}
	nodes := node.NewRegistry()
	all.Register(nodes)
	creds := credentials.NewRegistry()
	credentials.Register(creds)
	allow, err := netguard.AllowFromEnv()
	if err != nil {
		return fmt.Errorf("config: %s: %w", netguard.EnvAllow, err)
	}
	srv, err := server.New(server.Deps{Config: a.cfg, Store: a.db, Nodes: nodes, Credentials: creds, Cipher: cipher, Logger: a.log,
		Version: floeVersion(), SafeClient: netguard.NewClient(netguard.Options{Allow: allow})})
	if err != nil {
		return err
	}

	if !a.cfg.BasicAuthEnabled() {
		has, err := a.db.HasAPIKeys(ctx)
		if err != nil {
			return fmt.Errorf("checking for api keys: %w", err)
		}
		if !has {
			a.log.Warn("no API key exists and FLOWISE_USERNAME/FLOWISE_PASSWORD are not set: admin routes are open to loopback clients only until a key is created (POST /api/v1/apikey)")
		}
	}
	ln, err := net.Listen("tcp", a.cfg.Addr())
	if err != nil {
		return fmt.Errorf("listening on %s: %w", a.cfg.Addr(), err)
	}
	a.log.Info("floe listening", "addr", ln.Addr().String(), "database", a.cfg.DatabaseType, "version", floeVersion(), "startup", time.Since(began).String())
	return serve(ctx, ln, srv, a.log)
}

// serve runs h on ln until ctx is cancelled, then stops accepting, lets
// in-flight requests finish (up to 30 s) and returns.
func serve(ctx context.Context, ln net.Listener, h http.Handler, log *slog.Logger) error {
	hs := &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 10 * time.Second,
		IdleTimeout:       2 * time.Minute,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	select {
	case err := <-errc:
		return fmt.Errorf("serving: %w", err)
	case <-ctx.Done():
	}
	log.Info("shutting down: waiting for in-flight requests")
	sctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := hs.Shutdown(sctx); err != nil {
		return fmt.Errorf("shutting down: %w", err)
	}
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("serving: %w", err)
	}
	log.Info("shutdown complete")
	return nil
}

func importCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("import", flag.ContinueOnError)
	fs.SetOutput(stderr)
	typ := fs.String("type", "", "chatflow type when the file does not say: CHATFLOW, AGENTFLOW, MULTIAGENT or ASSISTANT")
	name := fs.String("name", "", "chatflow name (default: the file's name)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		return errors.New("import: no files given (usage: floe import [--type TYPE] [--name NAME] file.json...)")
	}
	if *name != "" && fs.NArg() > 1 {
		return errors.New("import: --name applies to one file")
	}
	a, err := openApp(ctx, stderr)
	if err != nil {
		return err
	}
	defer a.db.Close()
	return importFiles(ctx, a.db, fs.Args(), server.ImportOptions{Name: *name, Type: strings.ToUpper(*typ)}, stdout)
}

// importFiles validates every file first and stores nothing unless all of
// them are valid.
func importFiles(ctx context.Context, db *store.DB, files []string, opts server.ImportOptions, stdout io.Writer) error {
	type pending struct {
		file  string
		flows []*store.ChatFlow
	}
	var all []pending
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			return fmt.Errorf("import: %w", err)
		}
		o := opts
		o.Fallback = strings.TrimSuffix(filepath.Base(f), filepath.Ext(f))
		flows, err := server.ChatflowsFromExport(data, o)
		if err != nil {
			return fmt.Errorf("import %s: %w", f, err)
		}
		all = append(all, pending{f, flows})
	}
	for _, p := range all {
		for _, cf := range p.flows {
			if err := db.CreateChatFlow(ctx, cf); err != nil {
				return fmt.Errorf("import %s: storing chatflow: %w", p.file, err)
			}
			fmt.Fprintf(stdout, "imported %s as %s %q (%s)\n", p.file, cf.ID, cf.Name, cf.Type)
		}
	}
	return nil
}
