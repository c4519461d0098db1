#!/usr/bin/env bash
# sign-windows.sh ARCHIVE.zip|codex-login.exe: sign a Windows build with
# Authenticode (osslsigncode) using a throwaway code-signing certificate made
# here, then verify the signature. It proves the release binaries accept a
# signature; IT signs with its own certificate (README, "Sign it"). No
# timestamp: that needs the network. The key is deleted on exit.
set -euo pipefail
in=${1:?usage: sign-windows.sh ARCHIVE.zip|codex-login.exe}
command -v osslsigncode >/dev/null || { echo "sign-windows.sh: osslsigncode is not installed (apt-get install osslsigncode)" >&2; exit 1; }
work=$(mktemp -d "${TMPDIR:-/tmp}/codex-login-sign.XXXXXX")
trap 'rm -rf "$work"' EXIT
if [[ $in == *.zip ]]; then
	unzip -q -j "$in" '*/codex-login.exe' -d "$work"
	in=$work/codex-login.exe
fi
openssl req -x509 -newkey rsa:3072 -nodes -days 1 -subj "/CN=codex-login test code signing" \
	-addext extendedKeyUsage=codeSigning -keyout "$work/sign.key" -out "$work/sign.crt" 2>/dev/null
osslsigncode sign -certs "$work/sign.crt" -key "$work/sign.key" -n codex-login \
	-in "$in" -out "$work/codex-login-signed.exe"
osslsigncode verify -CAfile "$work/sign.crt" -in "$work/codex-login-signed.exe"
printf 'unsigned %d bytes, signed %d bytes\n' "$(stat -c %s "$in")" "$(stat -c %s "$work/codex-login-signed.exe")"
