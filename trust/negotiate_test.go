//go:build !windows

package trust

import (
	"context"
	"crypto/rand"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/jcmturner/gokrb5/v8/client"
	"github.com/jcmturner/gokrb5/v8/config"
	"github.com/jcmturner/gokrb5/v8/credentials"
	"github.com/jcmturner/gokrb5/v8/gssapi"
	"github.com/jcmturner/gokrb5/v8/iana/errorcode"
	"github.com/jcmturner/gokrb5/v8/iana/etypeID"
	"github.com/jcmturner/gokrb5/v8/iana/nametype"
	"github.com/jcmturner/gokrb5/v8/krberror"
	"github.com/jcmturner/gokrb5/v8/messages"
	"github.com/jcmturner/gokrb5/v8/spnego"
	"github.com/jcmturner/gokrb5/v8/types"
)

func TestCCacheName(t *testing.T) {
	for _, tc := range []struct {
		env, name, path, kind string
	}{
		{"", "FILE:/tmp/krb5cc_1000", "/tmp/krb5cc_1000", ""},
		{"FILE:/home/u/cc", "FILE:/home/u/cc", "/home/u/cc", ""},
		{"file:/home/u/cc", "file:/home/u/cc", "/home/u/cc", ""},
		{"/tmp/krb5cc_1000_x", "FILE:/tmp/krb5cc_1000_x", "/tmp/krb5cc_1000_x", ""},
		{"/tmp/odd:name", "FILE:/tmp/odd:name", "/tmp/odd:name", ""},
		{"KCM:", "KCM:", "", "KCM"},
		{"KCM:1000", "KCM:1000", "", "KCM"},
		{"KEYRING:persistent:1000", "KEYRING:persistent:1000", "", "KEYRING"},
		{"API:C2A9B6B2-0000", "API:C2A9B6B2-0000", "", "API"},
		{"DIR:/run/user/1000/krb5cc", "DIR:/run/user/1000/krb5cc", "", "DIR"},
		{"MEMORY:x", "MEMORY:x", "", "MEMORY"},
	} {
		name, path, kind := ccacheName(tc.env, 1000)
		if name != tc.name || path != tc.path || kind != tc.kind {
			t.Errorf("KRB5CCNAME=%q: got (%q, %q, %q), want (%q, %q, %q)", tc.env, name, path, kind, tc.name, tc.path, tc.kind)
		}
	}
}

func TestKerberosErrorKinds(t *testing.T) {
	krbErr := func(code int32) error { return messages.KRBError{ErrorCode: code} }
	for _, tc := range []struct {
		name string
		err  error
		kind string
	}{
		{"skew as KRBError", krbErr(errorcode.KRB_AP_ERR_SKEW), KerberosClockSkew},
		{"principal as KRBError", krbErr(errorcode.KDC_ERR_S_PRINCIPAL_UNKNOWN), KerberosUnknownPrincipal},
		{"skew wrapped as text", krberror.Errorf(krbErr(errorcode.KRB_AP_ERR_SKEW), krberror.NetworkingError, "TGS Exchange Error: issue sending TGS_REQ to KDC"), KerberosClockSkew},
		{"principal wrapped as text", krberror.Errorf(krbErr(errorcode.KDC_ERR_S_PRINCIPAL_UNKNOWN), krberror.NetworkingError, "TGS Exchange Error: issue sending TGS_REQ to KDC"), KerberosUnknownPrincipal},
		{"expired ticket", krberror.Errorf(krbErr(errorcode.KRB_AP_ERR_TKT_EXPIRED), krberror.NetworkingError, "TGS"), KerberosExpired},
		{"other KDC answer", krberror.Errorf(krbErr(errorcode.KDC_ERR_POLICY), krberror.NetworkingError, "TGS"), KerberosOther},
		{"no KDC answered", krberror.Errorf(errors.New("error sending to a KDC: dial tcp 127.0.0.1:88: connection refused"), krberror.NetworkingError, "TGS Exchange Error: issue sending TGS_REQ to KDC"), KerberosKDCUnreachable},
		{"no KDC configured", errors.New("no KDCs defined in configuration for realm CORP.TEST"), KerberosKDCUnreachable},
		{"anything else", errors.New("boom"), KerberosOther},
	} {
		if got := kerberosKind(tc.err); got != tc.kind {
			t.Errorf("%s: kind %q, want %q (%v)", tc.name, got, tc.kind, tc.err)
		}
	}
}

func TestKerberosErrorMessages(t *testing.T) {
	for _, tc := range []struct {
		err         *KerberosError
		text        string
		mustNotHave string
	}{
		{&KerberosError{Kind: KerberosNoTicket, Cache: "FILE:/tmp/krb5cc_0", Err: errors.New("open: no such file")}, "FILE:/tmp/krb5cc_0", "no such file"},
		{&KerberosError{Kind: KerberosCacheType, Cache: "KCM:1000", CacheType: "KCM"}, "KCM:", ""},
		{&KerberosError{Kind: KerberosClockSkew, SPN: "HTTP/p.corp.test"}, "clock", ""},
		{&KerberosError{Kind: KerberosUnknownPrincipal, SPN: "HTTP/p"}, "the proxy's name has no Kerberos principal", ""},
		{&KerberosError{Kind: KerberosKDCUnreachable, SPN: "HTTP/p", Err: errors.New("connection refused")}, "connection refused", ""},
		{&KerberosError{Kind: KerberosRejected, SPN: "HTTP/p"}, "rejected", ""},
	} {
		msg := tc.err.Error()
		if !strings.Contains(msg, tc.text) {
			t.Errorf("%s: %q, want %q", tc.err.Kind, msg, tc.text)
		}
		if tc.mustNotHave != "" && strings.Contains(msg, tc.mustNotHave) {
			t.Errorf("%s: %q says %q", tc.err.Kind, msg, tc.mustNotHave)
		}
	}
	var ke *KerberosError
	if err := error(&KerberosError{Kind: KerberosOther, Err: context.Canceled}); !errors.As(err, &ke) || !errors.Is(err, context.Canceled) {
		t.Errorf("KerberosError does not unwrap")
	}
}

func TestTGTState(t *testing.T) {
	now := time.Now()
	cache := func(server []string, end time.Time) *credentials.CCache {
		cc := &credentials.CCache{}
		cc.DefaultPrincipal.Realm = "CORP.TEST"
		c := &credentials.Credential{EndTime: end}
		c.Server.Realm = "CORP.TEST"
		c.Server.PrincipalName = types.PrincipalName{NameType: nametype.KRB_NT_SRV_INST, NameString: server}
		cc.Credentials = []*credentials.Credential{c}
		return cc
	}
	for _, tc := range []struct {
		name string
		cc   *credentials.CCache
		want string
	}{
		{"valid TGT", cache([]string{"krbtgt", "CORP.TEST"}, now.Add(time.Hour)), ""},
		{"expired TGT", cache([]string{"krbtgt", "CORP.TEST"}, now.Add(-time.Minute)), KerberosExpired},
		{"only a service ticket", cache([]string{"HTTP", "proxy.corp.test"}, now.Add(time.Hour)), KerberosNoTicket},
		{"TGT of another realm", cache([]string{"krbtgt", "OTHER.TEST"}, now.Add(time.Hour)), KerberosNoTicket},
		{"empty cache", &credentials.CCache{}, KerberosNoTicket},
	} {
		if got := tgtState(tc.cc, now); got != tc.want {
			t.Errorf("%s: %q, want %q", tc.name, got, tc.want)
		}
	}
}

func TestNegotiateNeedsATicket(t *testing.T) {
	dir := t.TempDir()
	conf := filepath.Join(dir, "krb5.conf")
	if err := os.WriteFile(conf, []byte("[libdefaults]\n default_realm = CORP.TEST\n[realms]\n CORP.TEST = {\n  kdc = 127.0.0.1:9\n }\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		ccname, kind string
	}{
		{"FILE:" + filepath.Join(dir, "absent"), KerberosNoTicket},
		{filepath.Join(dir, "absent"), KerberosNoTicket},
		{"KEYRING:persistent:1000", KerberosCacheType},
		{"KCM:", KerberosCacheType},
	} {
		env := map[string]string{"KRB5_CONFIG": conf, "KRB5CCNAME": tc.ccname}
		a, err := newNegotiate("proxy.corp.test:3128")
		if err != nil {
			t.Fatal(err)
		}
		n := a.(*negotiate)
		n.env = func(k string) string { return env[k] }
		if n.scheme() != "Negotiate" || n.spn != "HTTP/proxy.corp.test" {
			t.Fatalf("scheme %q, SPN %q", n.scheme(), n.spn)
		}
		_, err = n.step(context.Background(), nil)
		var ke *KerberosError
		if !errors.As(err, &ke) || ke.Kind != tc.kind {
			t.Errorf("KRB5CCNAME=%s: %v, want kind %s", tc.ccname, err, tc.kind)
		}
	}
	env := map[string]string{"KRB5_CONFIG": filepath.Join(dir, "missing.conf")}
	if _, err := kerberosToken(context.Background(), "HTTP/p", func(k string) string { return env[k] }); !isKerberosKind(err, KerberosConfig) {
		t.Errorf("missing KRB5_CONFIG: %v, want kind config", err)
	}
}

func TestNegotiateSecondLegIsRejection(t *testing.T) {
	n := &negotiate{spn: "HTTP/proxy.corp.test", sent: true}
	if _, err := n.step(context.Background(), []byte{0xa1, 0x07}); !isKerberosKind(err, KerberosRejected) {
		t.Errorf("a 407 answering the token: %v, want kind rejected", err)
	}
}

// The first token is a GSS-API initial context token holding an SPNEGO
// NegTokenInit that offers Kerberos and carries an AP-REQ with the ticket
// for the proxy's principal.
func TestNegTokenInitShape(t *testing.T) {
	cfg := config.New()
	cl := client.NewWithPassword("dev", "CORP.TEST", "unused", cfg, client.DisablePAFXFAST(true))
	key := types.EncryptionKey{KeyType: etypeID.AES256_CTS_HMAC_SHA1_96, KeyValue: make([]byte, 32)}
	_, _ = rand.Read(key.KeyValue)
	tkt := messages.Ticket{
		TktVNO: 5, Realm: "CORP.TEST",
		SName:   types.NewPrincipalName(nametype.KRB_NT_SRV_INST, "HTTP/proxy.corp.test"),
		EncPart: types.EncryptedData{EType: etypeID.AES256_CTS_HMAC_SHA1_96, KVNO: 2, Cipher: []byte("opaque to the client")},
	}
	tok, err := negTokenInit(cl, tkt, key)
	if err != nil {
		t.Fatal(err)
	}
	if tok[0] != 0x60 {
		t.Fatalf("token starts with %#x, want 0x60 (GSS-API InitialContextToken)", tok[0])
	}
	var st spnego.SPNEGOToken
	if err := st.Unmarshal(tok); err != nil || !st.Init {
		t.Fatalf("not an SPNEGO NegTokenInit: %v", err)
	}
	if len(st.NegTokenInit.MechTypes) != 1 || !st.NegTokenInit.MechTypes[0].Equal(gssapi.OIDKRB5.OID()) {
		t.Fatalf("mech types %v, want Kerberos 5 only", st.NegTokenInit.MechTypes)
	}
	var k spnego.KRB5Token
	if err := k.Unmarshal(st.NegTokenInit.MechTokenBytes); err != nil || !k.IsAPReq() {
		t.Fatalf("mech token is not a Kerberos AP-REQ: %v", err)
	}
	if got := k.APReq.Ticket.SName.PrincipalNameString(); got != "HTTP/proxy.corp.test" || k.APReq.Ticket.Realm != "CORP.TEST" {
		t.Errorf("ticket for %s@%s", got, k.APReq.Ticket.Realm)
	}
	if err := k.APReq.DecryptAuthenticator(key); err != nil {
		t.Errorf("authenticator not sealed with the session key: %v", err)
	} else if k.APReq.Authenticator.CName.PrincipalNameString() != "dev" {
		t.Errorf("authenticator names %s", k.APReq.Authenticator.CName.PrincipalNameString())
	}
}

func isKerberosKind(err error, kind string) bool {
	var ke *KerberosError
	return errors.As(err, &ke) && ke.Kind == kind
}
