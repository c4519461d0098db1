package trust

import (
	"crypto/x509"
	"crypto/x509/pkix"
	"strings"
)

// products tells which TLS-inspecting product signed a chain, by words in
// the names of its certificate authorities: the default CA names and the
// organisations of corporate proxies, secure web gateways, antivirus
// suites that scan HTTPS, and the proxies developers debug with. The
// words are matched case-insensitively; the first rule that matches wins,
// so the more specific words come first. Words that public CAs also use
// ("Cloudflare, Inc.", "Cisco", "Symantec", "DigiCert") are never enough on
// their own.
var products = []struct {
	product string
	words   []string
}{
	{"Zscaler", []string{"zscaler"}},
	{"Netskope", []string{"netskope", "goskope"}},
	{"Cisco Umbrella", []string{"cisco umbrella", "opendns"}},
	{"Cisco Secure Web Appliance", []string{"ironport"}},
	{"Cloudflare Gateway", []string{"cloudflare for teams", "gateway ca - cloudflare", "gateway intermediate ecc certificate authority", "cloudflare zero trust", "cloudflare corporate zero trust"}},
	{"Palo Alto Networks", []string{"palo alto", "paloaltonetworks", "pa-vm", "globalprotect", "prisma access", "pan-os"}},
	{"Fortinet", []string{"fortinet", "fortigate", "fortisase", "fortiproxy"}},
	{"Blue Coat ProxySG", []string{"blue coat", "bluecoat", "proxysg", "symantec web security", "symantec wss"}},
	{"Skyhigh Web Gateway", []string{"skyhigh", "mcafee web gateway", "mcafee"}},
	{"Forcepoint", []string{"forcepoint", "websense"}},
	{"Check Point", []string{"check point", "checkpoint"}},
	{"Sophos", []string{"sophos", "cyberoam"}},
	{"Menlo Security", []string{"menlo security"}},
	{"iboss", []string{"iboss"}},
	{"Barracuda", []string{"barracuda"}},
	{"WatchGuard", []string{"watchguard", "fireware"}},
	{"SonicWall", []string{"sonicwall"}},
	{"Cato Networks", []string{"cato networks"}},
	{"Untangle", []string{"untangle"}},
	{"Smoothwall", []string{"smoothwall"}},
	{"Lightspeed Systems", []string{"lightspeed systems"}},
	{"Securly", []string{"securly"}},
	{"Kaspersky", []string{"kaspersky"}},
	{"ESET", []string{"eset ssl filter", "eset, spol"}},
	{"Norton", []string{"norton web/mail shield", "norton antivirus"}},
	{"AVG", []string{"avg web/mail shield", "avg antivirus"}},
	{"Avast", []string{"avast", "web/mail shield"}},
	{"Bitdefender", []string{"bitdefender"}},
	{"Dr.Web", []string{"dr.web", "doctor web"}},
	{"AdGuard", []string{"adguard"}},
	{"mitmproxy", []string{"mitmproxy"}},
	{"Fiddler", []string{"do_not_trust_fiddler", "fiddler"}},
	{"Burp Suite", []string{"portswigger", "burp suite"}},
	{"Charles Proxy", []string{"charles proxy", "xk72"}},
	{"Proxyman", []string{"proxyman"}},
	{"squid", []string{"squid"}},
}

// Product names the TLS-inspecting product that made chain, judged by the
// subjects and issuers of its certificates (and organisation), or "" when
// none is recognisable. The leaf's own subject is left out: an inspecting
// proxy copies it from the real server, which may be the vendor's own
// site.
func Product(chain []*x509.Certificate) string {
	var names []string
	for i, c := range chain {
		names = append(names, nameWords(c.Issuer))
		if i > 0 {
			names = append(names, nameWords(c.Subject))
		}
	}
	text := strings.ToLower(strings.Join(names, "\n"))
	for _, p := range products {
		for _, w := range p.words {
			if strings.Contains(text, w) {
				return p.product
			}
		}
	}
	return ""
}

// nameWords is the common name, organisations and organisational units of
// n, one a line.
func nameWords(n pkix.Name) string {
	parts := append([]string{n.CommonName}, n.Organization...)
	return strings.Join(append(parts, n.OrganizationalUnit...), "\n")
}
