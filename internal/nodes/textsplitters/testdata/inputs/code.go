// Package shelf keeps a bounded LRU cache of book records.
package shelf

import (
	"container/list"
	"errors"
	"sync"
)

// ErrNotFound reports a missing key.
var ErrNotFound = errors.New("shelf: not found")

const defaultCapacity = 128

type entry struct {
	key   string
	value Book
}

// Book is one record.
type Book struct {
	Title  string
	Author string
	Year   int
}

// Cache is a fixed-size LRU cache safe for concurrent use.
type Cache struct {
	mu       sync.Mutex // guards order and index
	order    *list.List
	index    map[string]*list.Element
	capacity int
}

// New returns a cache holding at most capacity books.
func New(capacity int) *Cache {
	if capacity <= 0 {
		capacity = defaultCapacity
	}
	return &Cache{order: list.New(), index: make(map[string]*list.Element), capacity: capacity}
}

// Get returns the book stored under key and marks it recently used.
func (c *Cache) Get(key string) (Book, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	el, ok := c.index[key]
	if !ok {
		return Book{}, ErrNotFound
	}
	c.order.MoveToFront(el)
	return el.Value.(*entry).value, nil
}

// Put stores b under key, evicting the least recently used book when full.
func (c *Cache) Put(key string, b Book) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if el, ok := c.index[key]; ok {
		el.Value.(*entry).value = b
		c.order.MoveToFront(el)
		return
	}
	c.index[key] = c.order.PushFront(&entry{key: key, value: b})
	for c.order.Len() > c.capacity {
		oldest := c.order.Back()
		c.order.Remove(oldest)
		delete(c.index, oldest.Value.(*entry).key)
	}
}

// Decade classifies a year.
func Decade(year int) string {
	switch {
	case year < 1900:
		return "old"
	case year < 2000:
		return "twentieth century"
	}
	if year%10 == 0 {
		return "round"
	}
	return "recent"
}

var shelves = map[string]int{"fiction": 3, "history": 2}
