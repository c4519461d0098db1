package codexauth

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// Save waits for a Codex process holding either lock, and writes once it
// is released. A short wait is not reported.
func TestSaveWaitsForCodexLocks(t *testing.T) {
	for _, name := range []string{"auth.lock", "auth.json.lock"} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			waited := make(chan string, 2)
			s := &FileStore{Home: t.TempDir(), OnWait: func(lock string) { waited <- lock }}
			release := holdLock(t, s.Home, name)
			done := make(chan error, 1)
			file := sampleFile(t, "RT3")
			go func() { done <- s.Save(context.Background(), file) }()
			select {
			case err := <-done:
				t.Fatalf("Save finished while %s was held: %v", name, err)
			case <-time.After(200 * time.Millisecond):
			}
			if _, err := os.Stat(s.Path()); err == nil {
				t.Fatal("auth.json was written while the lock was held")
			}
			release()
			if err := <-done; err != nil {
				t.Fatal(err)
			}
			if got, err := s.Load(context.Background()); err != nil || got.Tokens.RefreshToken != "RT3" {
				t.Fatalf("Load = %+v, %v", got, err)
			}
			if len(waited) != 0 {
				t.Fatalf("OnWait called after a wait of 200 ms: %q", <-waited)
			}
		})
	}
}

// When the context ends while another process holds a lock, Save gives up
// with an error that names the lock, after telling OnWait once, and leaves
// auth.json as it was.
func TestSaveGivesUpWhenTheContextEnds(t *testing.T) {
	for _, name := range []string{"auth.lock", "auth.json.lock"} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			var mu sync.Mutex
			var waited []string
			s := &FileStore{Home: t.TempDir(), OnWait: func(lock string) {
				mu.Lock()
				defer mu.Unlock()
				waited = append(waited, lock)
			}}
			if err := s.Save(context.Background(), sampleFile(t, "RT-before")); err != nil {
				t.Fatal(err)
			}
			before, _ := os.ReadFile(s.Path())
			holdLock(t, s.Home, name)

			ctx, cancel := context.WithTimeout(context.Background(), 1300*time.Millisecond)
			defer cancel()
			err := s.Save(ctx, sampleFile(t, "RT-after"))
			lock := filepath.Join(s.Home, name)
			if !errors.Is(err, context.DeadlineExceeded) || !strings.Contains(err.Error(), lock) {
				t.Fatalf("Save = %v; want a deadline error naming %s", err, lock)
			}
			mu.Lock()
			defer mu.Unlock()
			if len(waited) != 1 || waited[0] != lock {
				t.Fatalf("OnWait calls: %q; want one for %s", waited, lock)
			}
			after, _ := os.ReadFile(s.Path())
			if !bytes.Equal(before, after) {
				t.Fatalf("auth.json changed while the lock was held:\n%s", after)
			}
			for _, n := range names(t, s.Home) {
				if strings.HasPrefix(n, tempPrefix) {
					t.Fatalf("temporary file %s left", n)
				}
			}
		})
	}
}
