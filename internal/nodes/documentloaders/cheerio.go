package documentloaders

import (
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/PuerkitoBio/goquery"

	"github.com/floehq/floe/internal/llm"
	"github.com/floehq/floe/internal/netguard"
	"github.com/floehq/floe/internal/node"
)

const (
	inRelativeLinksMethod = "relativeLinksMethod"
	inLimit               = "limit"
	inSelector            = "selector"
	// inSelectedLinks is saved by the UI's link manager; it is not a
	// declared param in Flowise either.
	inSelectedLinks = "selectedLinks"

	methodWebCrawl = "webCrawl"
	methodSitemap  = "scrapeXMLSitemap"

	// maxCrawlPages bounds a crawl whose limit is 0 ("all links").
	maxCrawlPages = 1000
)

// cheerioWebScraper mirrors Flowise's Cheerio Web Scraper
// (nodes/documentloaders/Cheerio/Cheerio.ts): the text of a page (of the
// elements matching a CSS selector, default body), or of the pages found by
// crawling its same-host links or by reading an XML sitemap.
var cheerioWebScraper = node.Definition{
	Spec: node.Spec{
		Label:       "Cheerio Web Scraper",
		Name:        "cheerioWebScraper",
		Version:     2,
		Type:        "Document",
		Icon:        "cheerio.svg",
		Category:    category,
		Description: "Load data from webpages",
		BaseClasses: documentBase,
		Inputs: []node.Param{
			{Label: "URL", Name: inURL, Type: node.TypeString},
			splitterParam,
			{
				Label:       "Get Relative Links Method",
				Name:        inRelativeLinksMethod,
				Type:        node.TypeOptions,
				Description: "How to find further pages of the site to load",
				Options: []node.Option{
					{Label: "Web Crawl", Name: methodWebCrawl, Description: "Follow the same-site links of the page"},
					{Label: "Scrape XML Sitemap", Name: methodSitemap, Description: "Read the page URLs listed by an XML sitemap"},
				},
				Default:          methodWebCrawl,
				Optional:         true,
				AdditionalParams: true,
			},
			{
				Label:            "Get Relative Links Limit",
				Name:             inLimit,
				Type:             node.TypeNumber,
				Optional:         true,
				Default:          "10",
				AdditionalParams: true,
				Description:      `Only used when "Get Relative Links Method" is selected. 0 retrieves all relative links; the default is 10.`,
				Warning:          "Retrieving all links can take a long time, and every link is loaded again whenever the flow changes",
			},
			{
				Label:            "Selector (CSS)",
				Name:             inSelector,
				Type:             node.TypeString,
				Description:      "CSS selector of the elements whose text is extracted (default: body)",
				Optional:         true,
				AdditionalParams: true,
			},
			metadataParam,
			omitKeysParam,
		},
		Outputs: loaderOutputs,
	},
	Init: initCheerioWebScraper,
}

// scraper is a Cheerio Web Scraper's configuration.
type scraper struct {
	client   *http.Client
	url      string
	selector string
	method   string
	limit    int
	selected []string
	log      *slog.Logger
}

func initCheerioWebScraper(ctx context.Context, data *node.Data, rt *node.Runtime) (any, error) {
	client, err := safeClient(rt)
	if err != nil {
		return nil, err
	}
	s := &scraper{client: client, log: rt.Log()}
	if s.url, err = httpURL(data, inURL); err != nil {
		return nil, err
	}
	if s.selector, err = data.String(inSelector, ""); err != nil {
		return nil, err
	}
	s.selector = strings.TrimSpace(s.selector)
	if s.method, err = data.String(inRelativeLinksMethod, ""); err != nil {
		return nil, err
	}
	if s.method != "" && s.method != methodWebCrawl && s.method != methodSitemap {
		return nil, fmt.Errorf("input %q: unknown method %q", inRelativeLinksMethod, s.method)
	}
	if s.limit, err = data.Int(inLimit, 10); err != nil {
		return nil, err
	}
	if s.limit < 0 {
		return nil, fmt.Errorf("input %q: limit cannot be less than 0", inLimit)
	}
	if s.selected, err = data.StringSlice(inSelectedLinks); err != nil {
		return nil, err
	}
	l, err := newLoader(data)
	if err != nil {
		return nil, err
	}
	l.read = s.load
	return finish(ctx, data, l)
}

func (s *scraper) load(ctx context.Context) ([]llm.Document, error) {
	if s.method == "" && len(s.selected) == 0 {
		return s.page(ctx, s.url)
	}
	pages := s.selected
	if s.limit > 0 && len(pages) > s.limit {
		pages = pages[:s.limit]
	}
	if len(pages) == 0 {
		var err error
		if s.method == methodWebCrawl {
			pages, err = s.crawl(ctx)
		} else {
			pages, err = s.sitemap(ctx)
		}
		if err != nil {
			return nil, err
		}
	}
	if len(pages) == 0 {
		return nil, fmt.Errorf("scraping %s: no relative links found", s.url)
	}
	var docs []llm.Document
	for _, p := range pages {
		got, err := s.page(ctx, p)
		if err != nil {
			if fatal(ctx, err) {
				return nil, err
			}
			s.log.Warn("cheerio web scraper: skipping page", "url", p, "error", err)
			continue
		}
		docs = append(docs, got...)
	}
	return docs, nil
}

// fatal reports errors that end a crawl instead of skipping a page: a
// refused destination or a cancelled run.
func fatal(ctx context.Context, err error) bool {
	return errors.Is(err, netguard.ErrForbidden) || ctx.Err() != nil
}

// fetch GETs u, returning its status, content type and capped body.
func (s *scraper) fetch(ctx context.Context, u string) (int, string, []byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return 0, "", nil, fmt.Errorf("fetching %s: %w", u, err)
	}
	resp, err := s.client.Do(req)
	if err != nil {
		return 0, "", nil, fmt.Errorf("fetching %s: %w", u, err)
	}
	defer resp.Body.Close()
	b, err := netguard.ReadAll(resp.Body, maxRemoteBytes)
	if err != nil {
		return 0, "", nil, fmt.Errorf("fetching %s: %w", u, err)
	}
	return resp.StatusCode, resp.Header.Get("Content-Type"), b, nil
}

// page loads one page as one document with metadata source. PDFs are
// skipped, as in Flowise.
func (s *scraper) page(ctx context.Context, u string) ([]llm.Document, error) {
	if strings.HasSuffix(u, ".pdf") {
		s.log.Warn("cheerio web scraper: skipping PDF", "url", u)
		return nil, nil
	}
	status, _, body, err := s.fetch(ctx, u)
	if err != nil {
		return nil, err
	}
	if status >= 400 {
		return nil, fmt.Errorf("fetching %s: status %d", u, status)
	}
	doc, err := goquery.NewDocumentFromReader(bytes.NewReader(body))
	if err != nil {
		return nil, fmt.Errorf("parsing HTML of %s: %w", u, err)
	}
	sel := doc.Find("body")
	if s.selector != "" {
		if sel = doc.Find(s.selector); sel.Length() == 0 {
			return nil, fmt.Errorf("scraping %s: selector %q matched nothing (or is not valid CSS)", u, s.selector)
		}
	}
	return []llm.Document{{PageContent: sel.Text(), Metadata: map[string]any{"source": u}}}, nil
}

// crawl lists same-host pages depth first from the start URL, as Flowise's
// webCrawl: each page normalized (no fragment, no trailing slash), at most
// limit of them (limit 0: up to maxCrawlPages).
func (s *scraper) crawl(ctx context.Context) ([]string, error) {
	base, err := url.Parse(s.url)
	if err != nil {
		return nil, fmt.Errorf("crawling %s: %w", s.url, err)
	}
	limit := s.limit
	if limit == 0 {
		limit = maxCrawlPages
	}
	host := strings.ToLower(base.Hostname())
	var pages []string
	var visit func(cur *url.URL) error
	visit = func(cur *url.URL) error {
		if len(pages) >= limit || strings.ToLower(cur.Hostname()) != host {
			return nil
		}
		norm := base.Scheme + "://" + normalizeURL(cur)
		if slices.Contains(pages, norm) {
			return nil
		}
		pages = append(pages, norm)
		status, ctype, body, err := s.fetch(ctx, cur.String())
		switch {
		case err != nil && fatal(ctx, err):
			return err
		case err != nil:
			s.log.Warn("cheerio web scraper: crawling", "url", cur.String(), "error", err)
			return nil
		case status > 399 || !strings.Contains(ctype, "text/html"):
			return nil
		}
		doc, err := goquery.NewDocumentFromReader(bytes.NewReader(body))
		if err != nil {
			return nil
		}
		var links []*url.URL
		doc.Find("a[href]").Each(func(_ int, a *goquery.Selection) {
			href, _ := a.Attr("href")
			if next, err := cur.Parse(strings.TrimSpace(href)); err == nil {
				links = append(links, next)
			}
		})
		for _, next := range links {
			if err := visit(next); err != nil {
				return err
			}
		}
		return nil
	}
	start, err := url.Parse(strings.TrimSuffix(s.url, "/"))
	if err != nil {
		return nil, fmt.Errorf("crawling %s: %w", s.url, err)
	}
	if err := visit(start); err != nil {
		return nil, fmt.Errorf("crawling %s: %w", s.url, err)
	}
	return pages, nil
}

// normalizeURL returns host[:port]/path?query without a trailing slash.
func normalizeURL(u *url.URL) string {
	out := strings.ToLower(u.Hostname())
	if p := u.Port(); p != "" {
		out += ":" + p
	}
	path := u.EscapedPath()
	if path == "" {
		path = "/"
	}
	out += path
	if u.RawQuery != "" {
		out += "?" + u.RawQuery
	}
	return strings.TrimSuffix(out, "/")
}

// sitemap lists the <url><loc> entries of an XML sitemap, at most limit
// (0: all).
func (s *scraper) sitemap(ctx context.Context) ([]string, error) {
	status, ctype, body, err := s.fetch(ctx, s.url)
	switch {
	case err != nil && fatal(ctx, err):
		return nil, err
	case err != nil:
		s.log.Warn("cheerio web scraper: reading sitemap", "url", s.url, "error", err)
		return nil, nil
	case status > 399 || (!strings.Contains(ctype, "application/xml") && !strings.Contains(ctype, "text/xml")):
		return nil, nil
	}
	var urls []string
	dec := xml.NewDecoder(bytes.NewReader(body))
	dec.Strict = false
	var inURL, inLoc bool
	var loc strings.Builder
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) || (err != nil && len(urls) > 0) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("reading sitemap %s: %w", s.url, err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			switch t.Name.Local {
			case "url":
				inURL = true
			case "loc":
				inLoc = inURL
				loc.Reset()
			}
		case xml.EndElement:
			switch t.Name.Local {
			case "url":
				inURL = false
			case "loc":
				if inLoc && strings.TrimSpace(loc.String()) != "" {
					urls = append(urls, strings.TrimSpace(loc.String()))
				}
				inLoc = false
			}
		case xml.CharData:
			if inLoc {
				loc.Write(t)
			}
		}
		if s.limit != 0 && len(urls) == s.limit {
			break
		}
	}
	return urls, nil
}
