package documentloaders

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"regexp"
	"strings"
	"time"

	"github.com/floehq/floe/internal/node"
)

const (
	inRepoLink          = "repoLink"
	inBranch            = "branch"
	inMaxConcurrency    = "maxConcurrency"
	inGithubBaseURL     = "githubBaseUrl"
	inGithubInstanceAPI = "githubInstanceApi"
	inIgnorePath        = "ignorePath"
	inMaxRetries        = "maxRetries"
	credAccessToken     = "accessToken"

	// EnvGithubAPI names the environment variable overriding the default
	// GitHub API base URL (https://api.github.com); the node's Github
	// Instance API input still wins.
	EnvGithubAPI = "GITHUB_API_URL"

	defaultGithubAPI  = "https://api.github.com"
	defaultGithubBase = "https://github.com"
)

// github mirrors Flowise's Github loader (nodes/documentloaders/Github/
// Github.ts, LangChain's GithubRepoLoader): one document per text file of a
// repository (or of a folder of it), with metadata source (the file path),
// repository and branch. Binary files and ignored paths are skipped.
var github = node.Definition{
	Spec: node.Spec{
		Label:       "Github",
		Name:        "github",
		Version:     3,
		Type:        "Document",
		Icon:        "github.svg",
		Category:    category,
		Description: "Load data from a GitHub repository",
		BaseClasses: documentBase,
		Credential: &node.Param{
			Label:           "Connect Credential",
			Name:            "credential",
			Type:            node.TypeCredential,
			Description:     "Needed only for private repositories",
			Optional:        true,
			CredentialNames: []string{"githubApi"},
		},
		Inputs: []node.Param{
			{Label: "Repo Link", Name: inRepoLink, Type: node.TypeString, Placeholder: "https://github.com/FlowiseAI/Flowise"},
			{Label: "Branch", Name: inBranch, Type: node.TypeString, Default: "main"},
			{Label: "Recursive", Name: inRecursive, Type: node.TypeBoolean, Optional: true},
			{Label: "Max Concurrency", Name: inMaxConcurrency, Type: node.TypeNumber, Step: 1, Optional: true, AdditionalParams: true},
			{
				Label:            "Github Base URL",
				Name:             inGithubBaseURL,
				Type:             node.TypeString,
				Placeholder:      "https://git.example.com",
				Description:      "Web URL of a GitHub Enterprise server",
				Optional:         true,
				AdditionalParams: true,
			},
			{
				Label:            "Github Instance API",
				Name:             inGithubInstanceAPI,
				Type:             node.TypeString,
				Placeholder:      "https://api.github.com",
				Description:      "API URL of a GitHub Enterprise server",
				Optional:         true,
				AdditionalParams: true,
			},
			{
				Label:            "Ignore Paths",
				Name:             inIgnorePath,
				Description:      "JSON array of gitignore-style patterns of paths to skip",
				Placeholder:      `["*.md"]`,
				Type:             node.TypeString,
				Rows:             4,
				Optional:         true,
				AdditionalParams: true,
			},
			{
				Label:            "Max Retries",
				Name:             inMaxRetries,
				Description:      "Retries of a failed call, with exponential backoff between attempts. Defaults to 2.",
				Type:             node.TypeNumber,
				Step:             1,
				Optional:         true,
				AdditionalParams: true,
			},
			splitterParam,
			metadataParam,
			omitKeysParam,
		},
		Outputs: loaderOutputs,
	},
	Init: initGithub,
}

// repo is a Github loader's configuration.
type repo struct {
	client      *http.Client
	api         string // API base URL without trailing slash
	repository  string // base URL/owner/repo, for metadata
	owner, name string
	path        string // folder (or file) inside the repository, "" for all
	branch      string
	recursive   bool
	token       string
	concurrency int
	retries     int
	backoff     time.Duration
	ignore      *ignoreList
	log         *slog.Logger
}

func initGithub(ctx context.Context, data *node.Data, rt *node.Runtime) (any, error) {
	client, err := safeClient(rt)
	if err != nil {
		return nil, err
	}
	r := &repo{client: client, log: rt.Log(), backoff: 500 * time.Millisecond}
	link, err := data.String(inRepoLink, "")
	if err != nil {
		return nil, err
	}
	base, err := data.String(inGithubBaseURL, defaultGithubBase)
	if err != nil {
		return nil, err
	}
	base = strings.TrimSuffix(strings.TrimSpace(base), "/")
	if r.owner, r.name, r.path, err = parseRepoLink(base, strings.TrimSpace(link)); err != nil {
		return nil, err
	}
	r.repository = base + "/" + r.owner + "/" + r.name
	api := os.Getenv(EnvGithubAPI)
	if api == "" {
		api = defaultGithubAPI
	}
	if api, err = data.String(inGithubInstanceAPI, api); err != nil {
		return nil, err
	}
	r.api = strings.TrimSuffix(strings.TrimSpace(api), "/")
	if r.branch, err = data.String(inBranch, "main"); err != nil {
		return nil, err
	}
	r.branch = strings.TrimSpace(r.branch)
	if r.recursive, err = data.Bool(inRecursive, true); err != nil {
		return nil, err
	}
	if r.concurrency, err = data.Int(inMaxConcurrency, 2); err != nil {
		return nil, err
	}
	r.concurrency = max(r.concurrency, 1)
	if r.retries, err = data.Int(inMaxRetries, 2); err != nil {
		return nil, err
	}
	r.retries = max(r.retries, 0)
	patterns, err := data.StringSlice(inIgnorePath)
	if err != nil {
		return nil, err
	}
	if r.ignore, err = newIgnoreList(patterns); err != nil {
		return nil, fmt.Errorf("input %q: %w", inIgnorePath, err)
	}
	if r.token, err = node.CredentialParam(ctx, data, rt, credAccessToken); err != nil {
		return nil, err
	}
	l, err := newLoader(data)
	if err != nil {
		return nil, err
	}
	l.read = r.load
	return finish(ctx, data, l)
}

// parseRepoLink reads owner, repository and optional folder from a link
// such as https://github.com/owner/repo/tree/branch/path, as LangChain
// does (the branch in the link is ignored; the branch input names it).
func parseRepoLink(base, link string) (owner, name, path string, err error) {
	re, err := regexp.Compile(`(?i)^` + regexp.QuoteMeta(base) + `/([^/]+)/([^/?#]+)(/tree/[^/]+/([^?#]+))?`)
	if err != nil {
		return "", "", "", fmt.Errorf("input %q: %w", inGithubBaseURL, err)
	}
	m := re.FindStringSubmatch(link)
	if m == nil {
		return "", "", "", fmt.Errorf("input %q: %q is not a repository link under %s", inRepoLink, link, base)
	}
	return m[1], strings.TrimSuffix(m[2], ".git"), strings.Trim(m[4], "/"), nil
}
