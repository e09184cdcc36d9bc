package kube

import "testing"

func TestNamesAreRFC1123(t *testing.T) {
	for in, want := range map[string]string{
		"web": "web", "Web_App": "web-app", "my..svc": "my-svc", "-x-": "x", "": "x",
		"a234567890123456789012345678901234567890123456789012345678901234567890": "a23456789012345678901234567890123456789012345678901234567890123",
	} {
		if got := dnsLabel(in); got != want {
			t.Errorf("dnsLabel(%q) = %q, want %q", in, got, want)
		}
	}
	if got := serviceName("9lives"); got != "s-9lives" {
		t.Errorf("serviceName must start with a letter: %q", got)
	}
	tbl := newNameTable()
	if n, renamed := tbl.assign("Web_App"); n != "web-app" || !renamed {
		t.Errorf("assign: %q %v", n, renamed)
	}
	if n, _ := tbl.assign("web.app"); n != "web-app-2" {
		t.Errorf("a second service sanitised to the same name must differ: %q", n)
	}
}

func TestParsePorts(t *testing.T) {
	cases := map[string][]portSpec{
		"80":                  {{container: 80, protocol: "TCP"}},
		"8080:80":             {{host: 8080, container: 80, protocol: "TCP"}},
		"127.0.0.1:53:53/udp": {{hostIP: "127.0.0.1", host: 53, container: 53, protocol: "UDP"}},
		"127.0.0.1::80":       {{hostIP: "127.0.0.1", container: 80, protocol: "TCP"}},
		"9000-9001:8000-8001": {{host: 9000, container: 8000, protocol: "TCP"}, {host: 9001, container: 8001, protocol: "TCP"}},
		"7000-7001":           {{container: 7000, protocol: "TCP"}, {container: 7001, protocol: "TCP"}},
	}
	for in, want := range cases {
		got, err := parsePorts(in)
		if err != nil || len(got) != len(want) {
			t.Errorf("parsePorts(%q) = %v, %v; want %v", in, got, err, want)
			continue
		}
		for i := range want {
			if got[i] != want[i] {
				t.Errorf("parsePorts(%q)[%d] = %+v, want %+v", in, i, got[i], want[i])
			}
		}
	}
	for _, bad := range []string{"http", "80/icmp", "1-500", "0", "70000:80"} {
		if _, err := parsePorts(bad); err == nil {
			t.Errorf("parsePorts(%q) accepted", bad)
		}
	}
}
