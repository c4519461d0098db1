package trust

import (
	"errors"
	"fmt"
	"strings"

	"github.com/jcmturner/gokrb5/v8/iana/errorcode"
	"github.com/jcmturner/gokrb5/v8/messages"
)

// Kinds of KerberosError.
const (
	KerberosNoTicket         = "no-ticket"         // no credential cache, or no TGT in it
	KerberosCacheType        = "cache-type"        // a cache kind only the system library reads (KCM:, KEYRING:, ...)
	KerberosExpired          = "expired"           // the TGT has expired
	KerberosClockSkew        = "clock-skew"        // this machine's clock and the KDC's disagree
	KerberosKDCUnreachable   = "kdc-unreachable"   // no KDC of the realm answered
	KerberosUnknownPrincipal = "unknown-principal" // the KDC has no HTTP/<proxy> principal
	KerberosRejected         = "rejected"          // the proxy refused the ticket
	KerberosConfig           = "config"            // the Kerberos configuration cannot be read
	KerberosOther            = "other"             // anything else the Kerberos library reported
)

// KerberosError: Negotiate (Kerberos) authentication to a proxy could not
// start or was refused. It never carries a ticket or a key.
type KerberosError struct {
	Kind      string
	SPN       string // "HTTP/proxy.corp.example"
	Cache     string // the credential cache, as KRB5CCNAME names it ("FILE:/tmp/krb5cc_1000")
	CacheType string // for Kind cache-type: "KCM", "KEYRING", "API", "DIR", ...
	Config    string // the krb5.conf read
	Err       error  // the library's error, if any
}

func (e *KerberosError) Error() string {
	var s string
	switch e.Kind {
	case KerberosNoTicket:
		s = fmt.Sprintf("no Kerberos ticket: credential cache %s has no ticket-granting ticket", e.Cache)
	case KerberosCacheType:
		s = fmt.Sprintf("cannot read Kerberos credential cache %s: codex-login reads only FILE: caches, not %s:", e.Cache, e.CacheType)
	case KerberosExpired:
		s = fmt.Sprintf("the Kerberos ticket in %s has expired", e.Cache)
	case KerberosClockSkew:
		s = fmt.Sprintf("Kerberos refused the ticket for %s: this machine's clock differs too much from the KDC's", e.SPN)
	case KerberosKDCUnreachable:
		s = fmt.Sprintf("cannot reach a Kerberos KDC to get a ticket for %s", e.SPN)
	case KerberosUnknownPrincipal:
		s = fmt.Sprintf("the KDC knows no principal %s: the proxy's name has no Kerberos principal", e.SPN)
	case KerberosRejected:
		s = fmt.Sprintf("the proxy rejected the Kerberos ticket for %s", e.SPN)
	case KerberosConfig:
		s = fmt.Sprintf("cannot read the Kerberos configuration %s", e.Config)
	default:
		s = fmt.Sprintf("Kerberos authentication for %s failed", e.SPN)
	}
	if e.Err != nil && e.Kind != KerberosNoTicket && e.Kind != KerberosCacheType && e.Kind != KerberosExpired {
		s += ": " + e.Err.Error()
	}
	return s
}

func (e *KerberosError) Unwrap() error { return e.Err }

// kerberosKind names what a Kerberos library error means, from the KDC's
// error code where the library kept it and from its text where it only
// kept the text (gokrb5 wraps KRBError in string errors).
func kerberosKind(err error) string {
	var kerr messages.KRBError
	if errors.As(err, &kerr) {
		switch kerr.ErrorCode {
		case errorcode.KRB_AP_ERR_SKEW:
			return KerberosClockSkew
		case errorcode.KDC_ERR_S_PRINCIPAL_UNKNOWN:
			return KerberosUnknownPrincipal
		case errorcode.KRB_AP_ERR_TKT_EXPIRED:
			return KerberosExpired
		}
	}
	text := err.Error()
	switch {
	case strings.Contains(text, "SKEW"):
		return KerberosClockSkew
	case strings.Contains(text, "S_PRINCIPAL_UNKNOWN"):
		return KerberosUnknownPrincipal
	case strings.Contains(text, "TKT_EXPIRED"):
		return KerberosExpired
	case strings.Contains(text, "KRB Error:"): // another answer of the KDC's
		return KerberosOther
	case strings.Contains(text, "Networking_Error"), strings.Contains(text, "no KDC"):
		return KerberosKDCUnreachable
	}
	return KerberosOther
}
