// The corporate PAC file: the intranet goes through proxy a, everything
// else is direct.
function FindProxyForURL(url, host) {
    host = host.toLowerCase();
    if (isPlainHostName(host) || dnsDomainIs(host, ".local"))
        return "DIRECT";
    if (shExpMatch(host, "*.corp.test"))
        return "PROXY a.corp.test:3128; PROXY b.corp.test:3128; DIRECT";
    if (isInNet(host, "10.0.0.0", "255.0.0.0"))
        return "PROXY a.corp.test:3128";
    return "DIRECT";
}
