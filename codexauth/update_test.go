package codexauth

import (
	"bytes"
	"context"
	"errors"
	"os"
	"strconv"
	"sync"
	"testing"
	"time"
)

// Update must read the file only once it holds the locks: a Codex process
// that refreshes while we wait must not be overwritten with older tokens.
func TestUpdateReadsTheFileInsideTheLocks(t *testing.T) {
	ctx := context.Background()
	s := &FileStore{Home: t.TempDir()}
	if err := s.Save(ctx, sampleFile(t, "RT-ours")); err != nil {
		t.Fatal(err)
	}
	if loaded, err := s.Load(ctx); err != nil || loaded.Tokens.RefreshToken != "RT-ours" {
		t.Fatalf("Load = %+v, %v", loaded, err)
	}

	release := holdLock(t, s.Home, "auth.lock") // a Codex refresh in progress
	seen := make(chan string, 1)
	done := make(chan error, 1)
	go func() {
		done <- s.Update(ctx, func(current *AuthFile) (*AuthFile, error) {
			seen <- current.Tokens.RefreshToken
			current.Tokens.AccessToken = "AT-updated"
			return current, nil
		})
	}()
	time.Sleep(150 * time.Millisecond)
	codex, _ := sampleFile(t, "RT-codex").Marshal()
	if err := os.WriteFile(s.Path(), codex, 0o600); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-done:
		t.Fatalf("Update finished while auth.lock was held: %v", err)
	default:
	}
	release()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if got := <-seen; got != "RT-codex" {
		t.Fatalf("fn saw refresh token %q, want the one Codex wrote while Update waited", got)
	}
	after, err := s.Load(ctx)
	if err != nil || after.Tokens.RefreshToken != "RT-codex" || after.Tokens.AccessToken != "AT-updated" {
		t.Fatalf("after Update: %+v, %v", after.Tokens, err)
	}
}

// Updates from many goroutines, each its own open file, lose nothing.
func TestConcurrentUpdatesLoseNothing(t *testing.T) {
	ctx := context.Background()
	s := &FileStore{Home: t.TempDir()}
	start := sampleFile(t, "RT")
	start.Tokens.AccessToken = "0"
	if err := s.Save(ctx, start); err != nil {
		t.Fatal(err)
	}
	const workers, rounds = 8, 5
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for range rounds {
				err := s.Update(ctx, func(cur *AuthFile) (*AuthFile, error) {
					n, err := strconv.Atoi(cur.Tokens.AccessToken)
					cur.Tokens.AccessToken = strconv.Itoa(n + 1)
					return cur, err
				})
				if err != nil {
					t.Error(err)
				}
			}
		})
	}
	wg.Wait()
	end, err := s.Load(ctx)
	if err != nil || end.Tokens.AccessToken != strconv.Itoa(workers*rounds) {
		t.Fatalf("counter = %q, %v; want %d", end.Tokens.AccessToken, err, workers*rounds)
	}
}

func TestUpdateWritesNothing(t *testing.T) {
	errRefused := errors.New("refresh refused")
	tests := []struct {
		name    string
		content string // "" for no auth.json
		fn      func(*AuthFile) (*AuthFile, error)
		wantErr bool
		is      error // when set, the error returned must be this one
	}{
		{"fn returns nil", `{"auth_mode":"chatgpt"}`, func(*AuthFile) (*AuthFile, error) { return nil, nil }, false, nil},
		{"fn returns nil without a file", "", func(cur *AuthFile) (*AuthFile, error) {
			if cur != nil {
				return nil, errors.New("a missing file reached fn as non-nil")
			}
			return nil, nil
		}, false, nil},
		{"fn fails", `{"auth_mode":"chatgpt"}`, func(cur *AuthFile) (*AuthFile, error) {
			cur.Tokens = &Tokens{RefreshToken: "new"}
			return cur, errRefused
		}, true, errRefused},
		{"file does not parse", `{broken`, func(*AuthFile) (*AuthFile, error) {
			return nil, errors.New("fn called with a file that does not parse")
		}, true, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := &FileStore{Home: t.TempDir()}
			if tt.content != "" {
				os.WriteFile(s.Path(), []byte(tt.content), 0o600)
			}
			err := s.Update(context.Background(), tt.fn)
			if (err != nil) != tt.wantErr {
				t.Fatalf("Update = %v, want error: %v", err, tt.wantErr)
			}
			if tt.is != nil && !errors.Is(err, tt.is) {
				t.Fatalf("Update = %v, want the error of fn", err)
			}
			got, readErr := os.ReadFile(s.Path())
			if tt.content == "" {
				if !errors.Is(readErr, os.ErrNotExist) {
					t.Fatalf("auth.json was created: %s", got)
				}
				return
			}
			if !bytes.Equal(got, []byte(tt.content)) {
				t.Fatalf("auth.json changed to %s", got)
			}
		})
	}
}
