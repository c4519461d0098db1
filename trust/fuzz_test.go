package trust

import (
	"encoding/pem"
	"testing"
)

// FuzzParseCertFile feeds arbitrary CA files: parsing must never panic, and
// a file that parses without a reason yields at least one certificate.
func FuzzParseCertFile(f *testing.F) {
	f.Add([]byte("-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n"))
	f.Add(pem.EncodeToMemory(&pem.Block{Type: "TRUSTED CERTIFICATE", Bytes: []byte{0x30, 0x03, 0x02, 0x01, 0x01}}))
	f.Add([]byte{0x30, 0x82, 0x01, 0x00})
	f.Add([]byte("-----BEGIN PKCS7-----\n-----END PKCS7-----\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		certs, reason, _ := parseCertFile(data)
		if reason == "" && len(certs) == 0 {
			t.Fatal("no reason given for a file without certificates")
		}
		_ = checkCAs(certs)
	})
}
