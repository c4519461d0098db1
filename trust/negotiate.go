//go:build !windows

package trust

// Negotiate (SPNEGO, RFC 4559) to a proxy with the user's Kerberos ticket,
// read from the credential cache kinit filled. Windows uses SSPI instead.

import (
	"context"
	"errors"
	"net"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/jcmturner/gokrb5/v8/client"
	"github.com/jcmturner/gokrb5/v8/config"
	"github.com/jcmturner/gokrb5/v8/credentials"
	"github.com/jcmturner/gokrb5/v8/messages"
	"github.com/jcmturner/gokrb5/v8/spnego"
	"github.com/jcmturner/gokrb5/v8/types"
)

func init() { negotiateAuthenticator = newNegotiate }

// negotiate answers one proxy's Negotiate challenge: one token, the
// NegTokenInit carrying an AP-REQ for HTTP/<proxy host>. Kerberos needs no
// second leg; a 407 that answers the token with another is a rejection.
type negotiate struct {
	spn  string
	env  func(string) string
	sent bool
}

func newNegotiate(proxyHost string) (authenticator, error) {
	host := proxyHost
	if h, _, err := net.SplitHostPort(proxyHost); err == nil {
		host = h
	}
	// The name as the proxy URL gives it: resolving it again (reverse DNS)
	// would let whoever answers DNS choose the principal.
	return &negotiate{spn: "HTTP/" + strings.TrimSuffix(host, "."), env: os.Getenv}, nil
}

func (n *negotiate) scheme() string { return "Negotiate" }

func (n *negotiate) step(ctx context.Context, challenge []byte) ([]byte, error) {
	if n.sent {
		return nil, &KerberosError{Kind: KerberosRejected, SPN: n.spn}
	}
	n.sent = true
	return kerberosToken(ctx, n.spn, n.env)
}

// kerberosToken gets a service ticket for spn with the TGT in the user's
// credential cache and returns the SPNEGO token that carries it.
func kerberosToken(ctx context.Context, spn string, env func(string) string) ([]byte, error) {
	cfgPath, cfg, err := krbConfig(env)
	if err != nil {
		return nil, &KerberosError{Kind: KerberosConfig, SPN: spn, Config: cfgPath, Err: err}
	}
	cl, err := krbClient(env, cfg, spn, time.Now())
	if err != nil {
		return nil, err
	}
	type result struct {
		tkt messages.Ticket
		key types.EncryptionKey
		err error
	}
	done := make(chan result, 1)
	go func() { // the library takes no context: leave it behind on cancel
		tkt, key, err := cl.GetServiceTicket(spn)
		done <- result{tkt, key, err}
	}()
	var r result
	select {
	case <-ctx.Done():
		return nil, ctx.Err()
	case r = <-done:
	}
	if r.err != nil {
		return nil, &KerberosError{Kind: kerberosKind(r.err), SPN: spn, Err: r.err}
	}
	tok, err := negTokenInit(cl, r.tkt, r.key)
	if err != nil {
		return nil, &KerberosError{Kind: KerberosOther, SPN: spn, Err: err}
	}
	return tok, nil
}

// negTokenInit is the GSS-API initial context token (RFC 2743 3.1) of
// SPNEGO (RFC 4178) whose NegTokenInit holds a Kerberos AP-REQ.
func negTokenInit(cl *client.Client, tkt messages.Ticket, key types.EncryptionKey) ([]byte, error) {
	nti, err := spnego.NewNegTokenInitKRB5(cl, tkt, key)
	if err != nil {
		return nil, err
	}
	tok := spnego.SPNEGOToken{Init: true, NegTokenInit: nti}
	return tok.Marshal()
}

// krbConfig reads KRB5_CONFIG (its first file that exists), else
// /etc/krb5.conf; with neither, the library's defaults (KDCs from DNS).
func krbConfig(env func(string) string) (string, *config.Config, error) {
	paths := []string{"/etc/krb5.conf"}
	if v := env("KRB5_CONFIG"); v != "" {
		paths = strings.Split(v, ":")
	}
	for _, p := range paths {
		if _, err := os.Stat(p); err != nil {
			continue
		}
		cfg, err := config.Load(p)
		var unsupported config.UnsupportedDirective
		if err != nil && !errors.As(err, &unsupported) {
			return p, nil, err
		}
		return p, cfg, nil
	}
	if v := env("KRB5_CONFIG"); v != "" {
		return v, nil, os.ErrNotExist
	}
	cfg := config.New()
	cfg.LibDefaults.DNSLookupKDC = true
	return "", cfg, nil
}

// krbClient loads the credential cache and checks that it holds a TGT that
// is still valid at now.
func krbClient(env func(string) string, cfg *config.Config, spn string, now time.Time) (*client.Client, error) {
	name, path, kind := ccacheName(env("KRB5CCNAME"), os.Getuid())
	if kind != "" {
		return nil, &KerberosError{Kind: KerberosCacheType, SPN: spn, Cache: name, CacheType: kind}
	}
	cc, err := credentials.LoadCCache(path)
	if err != nil {
		return nil, &KerberosError{Kind: KerberosNoTicket, SPN: spn, Cache: name, Err: err}
	}
	if k := tgtState(cc, now); k != "" {
		return nil, &KerberosError{Kind: k, SPN: spn, Cache: name}
	}
	cl, err := client.NewFromCCache(cc, cfg, client.DisablePAFXFAST(true))
	if err != nil {
		return nil, &KerberosError{Kind: KerberosNoTicket, SPN: spn, Cache: name, Err: err}
	}
	return cl, nil
}

// tgtState is "" when cc holds a TGT for its principal's realm valid at
// now, else KerberosNoTicket or KerberosExpired.
func tgtState(cc *credentials.CCache, now time.Time) string {
	realm := cc.DefaultPrincipal.Realm
	for _, c := range cc.GetEntries() {
		s := c.Server.PrincipalName.NameString
		if len(s) == 2 && s[0] == "krbtgt" && s[1] == realm {
			if !c.EndTime.IsZero() && !now.Before(c.EndTime) {
				return KerberosExpired
			}
			return ""
		}
	}
	return KerberosNoTicket
}

// ccacheName reads KRB5CCNAME ("FILE:path", a bare path, or TYPE:residual)
// and returns the name to show, the file to read, and, for a cache kind
// gokrb5 cannot read (KCM, KEYRING, API, DIR, MEMORY, MSLSA), its type.
// Unset means MIT's default, /tmp/krb5cc_<uid>.
func ccacheName(v string, uid int) (name, path, kind string) {
	if v == "" {
		path = "/tmp/krb5cc_" + strconv.Itoa(uid)
		return "FILE:" + path, path, ""
	}
	if t, rest, ok := strings.Cut(v, ":"); ok && !strings.HasPrefix(v, "/") && isCacheType(t) {
		if strings.EqualFold(t, "FILE") {
			return v, rest, ""
		}
		return v, "", strings.ToUpper(t)
	}
	return "FILE:" + v, v, ""
}

func isCacheType(t string) bool {
	if t == "" {
		return false
	}
	for _, r := range t {
		if (r < 'A' || r > 'Z') && (r < 'a' || r > 'z') {
			return false
		}
	}
	return true
}
