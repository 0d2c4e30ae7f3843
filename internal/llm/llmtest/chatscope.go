package llmtest

import (
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/floehq/floe/internal/llm"
)

// chatIDKey is the metadata key Flowise's File Upload option tags a chat's
// uploaded documents with (FLOWISE_CHATID).
const chatIDKey = "flowise_chatId"

// ChatStores gives the chat scoping case of [TestVectorStore] the stores
// it checks. Each call returns an opener over one new, empty collection
// (one per subtest) embedding with emb. open(chatID, docs) returns that
// collection as a vector store node with File Upload on sees it from chat
// chatID ("" for none): the node's vectorStore output, which implements
// [llm.Upserter] and, when docs is non-nil, upserts docs (its document
// input) in upsert mode, tagging them with chatID when it is not "".
// Searches from such a store return only the chat's documents and those
// of no chat (only the latter for chatID "").
type ChatStores func(t *testing.T, emb llm.Embedder) (open func(chatID string, docs []llm.Document) llm.VectorStore)

// Chat ids of the chat scoping case.
const (
	chatA = "chat-a"
	chatB = "chat-b"
)

// chatCorpus returns the chat scoping case's documents: shared ones (of
// no chat) and the uploads of chats A and B. B's parrots are the closest
// to the parrots query, so that a store must skip past them to find k
// documents in A's scope.
func chatCorpus() (shared, a, b []llm.Document) {
	shared = []llm.Document{
		{PageContent: "shared handbook: cats purr and chase mice", Metadata: map[string]any{"topic": "animals"}},
		{PageContent: "shared handbook: stocks rose as markets rallied", Metadata: map[string]any{"topic": "finance"}},
	}
	a = []llm.Document{
		{PageContent: "chat a upload: cats nap in the sun", Metadata: map[string]any{"topic": "animals"}},
		{PageContent: "chat a upload: bonds fell while yields climbed", Metadata: map[string]any{"topic": "finance"}},
	}
	b = []llm.Document{{PageContent: "chat b upload: cats hunt at night", Metadata: map[string]any{"topic": "animals"}}}
	for _, w := range []string{"one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"} {
		b = append(b, llm.Document{PageContent: "chat b upload: parrots talk and mimic voices " + w, Metadata: map[string]any{"topic": "birds"}})
	}
	return shared, a, b
}

// testChatScoping is the chat scoping case: documents upserted with no
// chat, by chat A and by chat B; each chat's searches (similarity and
// MMR) return its own and the shared documents, never the other chat's.
func testChatScoping(t *testing.T, chats ChatStores) {
	t.Helper()
	if chats == nil {
		t.Skip("no ChatStores given: the store has no File Upload option")
	}
	open := chats(t, &SuiteEmbedder{})
	shared, docsA, docsB := chatCorpus()
	// The shared documents first: stores whose upsert replaces their
	// contents do so only for an upsert of no chat.
	for _, up := range []struct {
		chat string
		docs []llm.Document
	}{{"", shared}, {chatA, docsA}, {chatB, docsB}} {
		u, ok := open(up.chat, up.docs).(llm.Upserter)
		if !ok {
			t.Fatalf("the store of chat %q does not implement llm.Upserter", up.chat)
		}
		res, err := u.Upsert(t.Context())
		if err != nil {
			t.Fatalf("Upsert for chat %q: %v", up.chat, err)
		}
		if res.NumAdded != len(up.docs) {
			t.Errorf("Upsert for chat %q added %d documents, want %d", up.chat, res.NumAdded, len(up.docs))
		}
	}
	chatOf := map[string]string{}
	for chat, docs := range map[string][]llm.Document{"": shared, chatA: docsA, chatB: docsB} {
		for _, d := range docs {
			chatOf[d.PageContent] = chat
		}
	}
	texts := func(docs ...[]llm.Document) []string {
		var out []string
		for _, list := range docs {
			for _, d := range list {
				out = append(out, d.PageContent)
			}
		}
		return out
	}

	tests := []struct {
		name   string
		chat   string
		query  string
		k      int
		filter llm.Filter
		want   []string // found, all of them
		may    []string // may be found too
		count  int      // the number of hits when not 0
	}{
		{name: "chat a sees its uploads and the shared documents", chat: chatA, query: "upload handbook cats stocks", k: 20,
			want: texts(shared, docsA), count: len(shared) + len(docsA)},
		{name: "chat b sees its uploads and the shared documents", chat: chatB, query: "upload handbook cats stocks", k: 20,
			want: texts(shared, docsB), count: len(shared) + len(docsB)},
		{name: "no chat sees only the shared documents", query: "upload handbook cats stocks", k: 20,
			want: texts(shared), count: len(shared)},
		// Postgres, as in Flowise, applies the rest of a filter to shared
		// documents only: chat A's finance upload may come too.
		{name: "a filter narrows the scope and never widens it", chat: chatA, query: "cats", k: 20, filter: llm.Filter{"topic": "animals"},
			want: []string{shared[0].PageContent, docsA[0].PageContent}, may: []string{docsA[1].PageContent}},
		{name: "k counts documents in scope only", chat: chatA, query: "parrots talk and mimic voices", k: 2,
			may: texts(shared, docsA), count: 2},
	}
	check := func(t *testing.T, chat string, got []llm.Document, want, may []string, count int) {
		t.Helper()
		var found []string
		for _, d := range got {
			found = append(found, d.PageContent)
			owner, known := chatOf[d.PageContent]
			switch {
			case !known:
				t.Errorf("found %q, which no upsert wrote", d.PageContent)
			case !slices.Contains(want, d.PageContent) && !slices.Contains(may, d.PageContent):
				t.Errorf("chat %q found %q of chat %q", chat, d.PageContent, owner)
			}
			if tag, tagged := d.Metadata[chatIDKey]; owner == "" && tagged || owner != "" && tag != owner {
				t.Errorf("%q has %s %v (tagged %v), want %q", d.PageContent, chatIDKey, tag, tagged, owner)
			}
		}
		for _, w := range want {
			if !slices.Contains(found, w) {
				t.Errorf("chat %q did not find %q", chat, w)
			}
		}
		if count > 0 && len(got) != count {
			t.Errorf("chat %q found %d documents, want %d", chat, len(got), count)
		}
		if dup := len(found) - len(slices.Compact(slices.Sorted(slices.Values(found)))); dup > 0 {
			t.Errorf("chat %q found %d duplicates in %q", chat, dup, found)
		}
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := open(tc.chat, nil)
			hits, err := s.SimilaritySearch(t.Context(), tc.query, tc.k, tc.filter)
			if err != nil {
				t.Fatalf("SimilaritySearch: %v", err)
			}
			docs := make([]llm.Document, len(hits))
			for i, h := range hits {
				docs[i] = h.Document
				if i > 0 && h.Score > hits[i-1].Score+1e-6 {
					t.Errorf("hit %d score %v above hit %d score %v: want descending", i, h.Score, i-1, hits[i-1].Score)
				}
			}
			check(t, tc.chat, docs, tc.want, tc.may, tc.count)

			mmr, ok := s.(llm.MMRSearcher)
			if !ok {
				return
			}
			got, err := mmr.MaxMarginalRelevanceSearch(t.Context(), tc.query, tc.k, max(tc.k, 20), 0.5, tc.filter)
			if err != nil {
				t.Fatalf("MaxMarginalRelevanceSearch: %v", err)
			}
			check(t, tc.chat, got, tc.want, tc.may, tc.count)
		})
	}

	t.Run("tags are written by Upsert only", func(t *testing.T) {
		// AddDocuments on the node's output writes documents as given, as
		// LangChain's stores do in Flowise: a document of no chat.
		d := llm.Document{PageContent: "added directly: owls hoot", Metadata: map[string]any{"topic": "birds"}}
		if _, err := open(chatA, nil).AddDocuments(t.Context(), []llm.Document{d}, nil); err != nil {
			t.Fatalf("AddDocuments: %v", err)
		}
		hits, err := open(chatB, nil).SimilaritySearch(t.Context(), "owls hoot", 1, nil)
		if err != nil {
			t.Fatalf("SimilaritySearch: %v", err)
		}
		if len(hits) != 1 {
			t.Fatalf("chat b found %d documents, want the one added directly", len(hits))
		}
		if diff := cmp.Diff(normalize(t, d), normalize(t, hits[0].Document)); diff != "" {
			t.Errorf("document added directly (-want +got):\n%s", diff)
		}
	})
}
