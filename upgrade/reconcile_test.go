package upgrade

import (
	"reflect"
	"strings"
	"testing"
)

// TestReconcileRules is one row per decision rule of original-behavior.md §3.3–§3.4 and the new flags.
func TestReconcileRules(t *testing.T) {
	old := desired("web", "nginx:1.13")
	cur := desired("web", "nginx:1.14")
	ext := desired("ext", "none")
	ext.Kind = KindExternal
	dns := desired("dns", "none")
	dns.Kind = KindDNS
	noHash := live(old, "active")
	noHash.Metadata, noHash.LaunchConfig = nil, map[string]any{"imageUuid": "docker:nginx:1.13"}
	rescaled := desired("web", "nginx:1.13")
	rescaled.Scale = 3
	svcChanged := desired("web", "nginx:1.13")
	svcChanged.Digests.Service = "svc-web-v2"
	startFirst := desired("web", "nginx:1.14")
	startFirst.Strategy = Strategy{StartFirst: true, BatchSize: 3, IntervalMillis: 5000}

	tests := []struct {
		name  string
		want  *Desired
		have  *Service
		opts  Options
		steps string
	}{
		{"missing service is created, then activated", cur, nil, Options{}, "create activate"},
		{"missing service with --wait-healthy waits", cur, nil, Options{WaitHealthy: true}, "create activate wait-healthy"},
		{"unchanged active service: nothing", old, live(old, "active"), Options{}, ""},
		{"unchanged inactive service is activated", old, live(old, "inactive"), Options{}, "activate"},
		{"changed without --upgrade: nothing (warning)", cur, live(old, "active"), Options{}, ""},
		{"changed with --upgrade: upgrade, left upgraded", cur, live(old, "active"), Options{Upgrade: true}, "upgrade"},
		{"--upgrade -c: upgrade then confirm", cur, live(old, "active"), Options{Upgrade: true, ConfirmUpgrade: true}, "upgrade confirm"},
		{"unchanged with --force-upgrade: update and upgrade", old, live(old, "active"), Options{ForceUpgrade: true}, "update upgrade"},
		{"--pull on an unchanged service does nothing", old, live(old, "active"), Options{Upgrade: true, Pull: true}, ""},
		{"--pull on a changed service pulls first", cur, live(old, "active"), Options{Upgrade: true, Pull: true}, "pull upgrade"},
		{"previous unconfirmed upgrade is finished first", cur, live(old, "upgraded"), Options{Upgrade: true}, "finish-previous-upgrade upgrade"},
		{"-c confirms any upgraded service", old, live(old, "upgraded"), Options{ConfirmUpgrade: true}, "confirm"},
		{"upgraded without -c is left alone", old, live(old, "upgraded"), Options{}, ""},
		{"-c on an active service does nothing", old, live(old, "active"), Options{ConfirmUpgrade: true}, ""},
		{"state must be active or inactive to upgrade", cur, live(old, "canceled-upgrade"), Options{Upgrade: true}, "fail"},
		{"an upgrade under way is awaited, confirmed and followed by the new one", cur, live(old, "upgrading"), Options{Upgrade: true}, "await finish-previous-upgrade upgrade"},
		{"external services are never upgraded", ext, func() *Service { s := live(ext, "active"); s.Metadata = nil; return s }(), Options{ForceUpgrade: true}, ""},
		{"DNS services are never upgraded", dns, func() *Service { s := live(dns, "active"); s.Metadata = nil; return s }(), Options{Upgrade: true}, ""},
		{"no stored hash and --upgrade: upgraded", old, noHash, Options{Upgrade: true}, "update upgrade"},
		{"service digest only: PUT, no upgrade", svcChanged, live(old, "active"), Options{Upgrade: true}, "update"},
		{"--rollback on an upgraded service", old, live(old, "upgraded"), Options{Rollback: true}, "rollback"},
		{"--rollback without the action fails", old, live(old, "active"), Options{Rollback: true}, "fail"},
		{"--rollback on a missing service creates it", cur, nil, Options{Rollback: true}, "create activate"},
		{"scale change ignored without --apply-scale", rescaled, live(old, "active"), Options{}, ""},
		{"--apply-scale on an unchanged service", rescaled, live(old, "active"), Options{ApplyScale: true}, "scale"},
		{"--apply-scale rides on the service PUT", func() *Desired { d := *svcChanged; d.Scale = 3; return &d }(), live(old, "active"), Options{Upgrade: true, ApplyScale: true}, "update"},
		{"--apply-scale before an unconfirmed upgrade", func() *Desired { d := *cur; d.Scale = 3; return &d }(), live(old, "active"), Options{Upgrade: true, ApplyScale: true}, "scale upgrade"},
		{"--apply-scale on an upgraded service is refused", rescaled, live(old, "upgraded"), Options{ApplyScale: true}, ""},
		{"--atomic defers the confirm and waits healthy", cur, live(old, "active"), Options{Upgrade: true, Atomic: true}, "upgrade wait-healthy confirm(after-all)"},
		{"--wait-healthy after the upgrade", cur, live(old, "active"), Options{Upgrade: true, WaitHealthy: true, ConfirmUpgrade: true}, "upgrade wait-healthy confirm"},
		{"inactive service upgraded with -c ends active", cur, live(old, "inactive"), Options{Upgrade: true, ConfirmUpgrade: true}, "upgrade confirm"},
		{"create only: created, not started", cur, nil, Options{CreateOnly: true}, "create"},
		{"create only: an existing changed service is left alone", cur, live(old, "inactive"), Options{CreateOnly: true, Upgrade: true}, ""},
		{"activating service is awaited, not activated again", old, live(old, "activating"), Options{}, "await"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := kinds(planOne(t, tt.want, tt.have, tt.opts)); got != tt.steps {
				t.Errorf("steps = %q, want %q", got, tt.steps)
			}
		})
	}
}

func TestOutOfSyncWarningOnlyWithoutUpgradeAndWithHash(t *testing.T) {
	old, cur := desired("web", "nginx:1.13"), desired("web", "nginx:1.14")
	p := planOne(t, cur, live(old, "active"), Options{})
	if len(p.Warnings) != 1 || !strings.Contains(p.Warnings[0], "Service web is out of sync with local configuration file") {
		t.Errorf("warnings = %q", p.Warnings)
	}
	if p = planOne(t, cur, live(old, "active"), Options{Upgrade: true}); len(p.Warnings) != 0 {
		t.Errorf("warnings with --upgrade = %q", p.Warnings)
	}
	noHash := live(old, "active")
	noHash.Metadata = nil
	if p = planOne(t, cur, noHash, Options{}); len(p.Warnings) != 0 || len(p.Steps) != 0 {
		t.Errorf("a service without a hash is left alone silently, got %q %q", p.Warnings, kinds(p))
	}
}

func TestUpgradeBodyMatchesTheOriginal(t *testing.T) {
	old, cur := desired("web", "nginx:1.13"), desired("web", "nginx:1.14")
	up := planOne(t, cur, live(old, "active"), Options{Upgrade: true}).step(StepUpgrade)
	strategy := up.Body[bodyFieldInServiceStrategy].(map[string]any)
	want := map[string]any{"links": nil, "actions": nil, "batchSize": int64(2), "intervalMillis": int64(1000), "launchConfig": cur.LaunchConfig}
	if !reflect.DeepEqual(strategy, want) {
		t.Errorf("inServiceStrategy = %#v\nwant %#v", strategy, want)
	}
	if _, ok := up.Body["links"]; !ok {
		t.Error(`body lacks "links":null`)
	}
}

func TestStrategyFromFileLosesToExplicitFlags(t *testing.T) {
	old, cur := desired("web", "nginx:1.13"), desired("web", "nginx:1.14")
	cur.Strategy = Strategy{StartFirst: true, BatchSize: 3, IntervalMillis: 5000}
	strategy := func(o Options) map[string]any {
		return planOne(t, cur, live(old, "active"), o).step(StepUpgrade).Body[bodyFieldInServiceStrategy].(map[string]any)
	}
	s := strategy(Options{Upgrade: true, BatchSize: 2, IntervalMillis: 1000})
	if s["batchSize"] != int64(3) || s["intervalMillis"] != int64(5000) || s["startFirst"] != true {
		t.Errorf("file strategy not used: %v", s)
	}
	s = strategy(Options{Upgrade: true, BatchSize: 1, BatchSizeSet: true, IntervalMillis: 200, IntervalSet: true})
	if s["batchSize"] != int64(1) || s["intervalMillis"] != int64(200) {
		t.Errorf("explicit flags did not win: %v", s)
	}
}

func TestServicePutKeepsTheLiveScale(t *testing.T) {
	old := desired("web", "nginx:1.13")
	changed := desired("web", "nginx:1.13")
	changed.Digests.Service, changed.Scale = "svc-web-v2", 5
	have := live(old, "active")
	have.Scale = 2
	if got := planOne(t, changed, have, Options{Upgrade: true}).step(StepUpdate).Body["scale"]; got != int64(2) {
		t.Errorf("PUT scale = %v, want the live 2", got)
	}
	if got := planOne(t, changed, have, Options{Upgrade: true, ApplyScale: true}).step(StepUpdate).Body["scale"]; got != int64(5) {
		t.Errorf("PUT scale with --apply-scale = %v, want 5", got)
	}
}

func TestSidekicksChangedNewAndRemoved(t *testing.T) {
	old := desired("web", "nginx:1.13")
	old.Sidekicks = map[string]map[string]any{"log": {"imageUuid": "docker:busybox:1"}, "gone": {"imageUuid": "docker:x"}}
	old.Digests.Sidekicks = map[string]string{"log": "a", "gone": "g"}
	cur := desired("web", "nginx:1.13")
	cur.Sidekicks = map[string]map[string]any{"log": {"imageUuid": "docker:busybox:2"}, "new": {"imageUuid": "docker:y"}}
	cur.Digests.Sidekicks = map[string]string{"log": "b", "new": "n"}
	up := planOne(t, cur, live(old, "active"), Options{Upgrade: true}).step(StepUpgrade)
	s := up.Body[bodyFieldInServiceStrategy].(map[string]any)
	if _, ok := s["launchConfig"]; ok {
		t.Error("primary sent although unchanged")
	}
	got := s["secondaryLaunchConfigs"].([]any)
	want := []any{cur.Sidekicks["log"], cur.Sidekicks["new"], map[string]any{"name": "gone", "imageUuid": "rancher/none"}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("secondaryLaunchConfigs = %v, want %v", got, want)
	}
}

func TestSelectionPlansOnlyNamedServices(t *testing.T) {
	a, b := desired("a", "x:1"), desired("b", "x:1")
	p := Reconcile([]*Desired{a, b}, observedOf(), Options{Services: []string{"b"}})
	if len(p.Services) != 1 || p.Services[0].Name != "b" {
		t.Errorf("planned %v", p.Services)
	}
	if u := UnknownServices([]*Desired{a, b}, []string{"a", "zz"}); !reflect.DeepEqual(u, []string{"zz"}) {
		t.Errorf("unknown = %v", u)
	}
}

func TestLinksPostedOnlyWhenTheyDiffer(t *testing.T) {
	db := desired("db", "postgres:9")
	web := desired("web", "nginx:1")
	web.Links = []Link{{Target: "db"}}
	web.DependsOn = []string{"db"}
	liveWeb := live(web, "active")
	obs := observedOf(live(db, "active"), liveWeb)
	if p := Reconcile([]*Desired{db, web}, obs, Options{}).Service("web"); kinds(p) != "set-links" {
		t.Errorf("missing link: %q", kinds(p))
	}
	liveWeb.LinkedServices = map[string]any{"db": "1s-db"}
	if p := Reconcile([]*Desired{db, web}, obs, Options{}).Service("web"); kinds(p) != "" {
		t.Errorf("link in place: %q", kinds(p))
	}
	liveWeb.LinkedServices = nil
	if p := Reconcile([]*Desired{db, web}, obs, Options{}).Service("web"); kinds(p) != "set-links" {
		t.Errorf("linkedServices unknown must post as the original: %q", kinds(p))
	}
}

func TestExternalLinkNotFoundIsWarnedAndDropped(t *testing.T) {
	web := desired("web", "nginx:1")
	web.Links = []Link{{Target: "other/db", External: true}, {Target: "other/cache", Alias: "c", External: true}}
	obs := observedOf()
	obs.External["other/cache"] = "1s99"
	p := Reconcile([]*Desired{web}, obs, Options{}).Service("web")
	st := p.step(StepSetLinks)
	if st == nil || len(st.Links) != 1 || st.Links[0].Target != "other/cache" {
		t.Fatalf("links = %+v", st)
	}
	if len(p.Warnings) != 1 || p.Warnings[0] != "Failed to find service other/db to link to" {
		t.Errorf("warnings = %q", p.Warnings)
	}
}

func TestDependencyOrderAllowsCycles(t *testing.T) {
	a, b, c := desired("a", "x:1"), desired("b", "x:1"), desired("c", "x:1")
	a.DependsOn, b.DependsOn, c.DependsOn = []string{"b"}, []string{"a"}, []string{"a", "zz"}
	p := Reconcile([]*Desired{c, b, a}, observedOf(), Options{})
	var order []string
	for _, s := range p.Services {
		order = append(order, s.Name+"<"+strings.Join(s.DependsOn, ","))
	}
	if got := strings.Join(order, " "); got != "b< a<b c<a" {
		t.Errorf("order = %s", got)
	}
}

func TestDiffShowsFieldChangesAgainstTheLiveService(t *testing.T) {
	old, cur := desired("web", "nginx:1.13"), desired("web", "nginx:1.14")
	cur.LaunchConfig["environment"] = map[string]any{"A": "1"}
	have := live(old, "active")
	have.LaunchConfig["version"] = "abc"
	have.LaunchConfig["privileged"] = false
	have.LaunchConfig["ports"] = []any{"80:80/tcp"}
	diff := planOne(t, cur, have, Options{Upgrade: true, ShowSecrets: true}).step(StepUpgrade).Diff
	var got []string
	for _, c := range diff {
		got = append(got, formatChange(c))
	}
	want := []string{`+ environment: {"A":"1"}`, `~ imageUuid: "docker:nginx:1.13" -> "docker:nginx:1.14"`, `- ports: ["80:80/tcp"]`}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("diff =\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestDiffHidesEnvironmentValuesAndSecretsUnlessShown(t *testing.T) {
	old, cur := desired("web", "nginx:1.13"), desired("web", "nginx:1.13")
	old.LaunchConfig["environment"] = map[string]any{"DB_PASSWORD": "old-pw", "MODE": "a"}
	cur.LaunchConfig["environment"] = map[string]any{"DB_PASSWORD": "new-pw", "MODE": "b"}
	old.LaunchConfig["labels"].(map[string]any)["url"] = "pg://u:old-pw@db"
	cur.LaunchConfig["labels"].(map[string]any)["url"] = "pg://u:new-pw@db"
	cur.LaunchConfig["command"] = []any{"serve", "--token=new-pw"}
	cur.LaunchConfig["labels"].(map[string]any)["auth.password"] = "literal"
	cur.Digests.Primary = "changed"
	diff := planOne(t, cur, live(old, "active"), Options{Upgrade: true, Secrets: []string{"new-pw"}}).step(StepUpgrade).Diff
	var got []string
	for _, c := range diff {
		got = append(got, formatChange(c))
	}
	want := []string{"+ command: added (value hidden)", "~ environment.DB_PASSWORD: changed (value hidden)",
		"~ environment.MODE: changed (value hidden)", "+ labels.auth.password: added (value hidden)", "~ labels.url: changed (value hidden)"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("diff =\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	shown := planOne(t, cur, live(old, "active"), Options{Upgrade: true, Secrets: []string{"new-pw"}, ShowSecrets: true}).step(StepUpgrade).Diff
	for _, c := range shown {
		if c.Hidden {
			t.Errorf("--show-secrets hides %s", c.Path)
		}
	}
}

// A service left mid-transition (an interrupted run) is waited for, and planned from the state it settles in.
func TestServiceMidTransitionIsAwaitedThenPlannedFromItsSettledState(t *testing.T) {
	kinds := func(p *ServicePlan) string {
		var out []string
		for _, s := range p.Steps {
			out = append(out, string(s.Kind))
		}
		return strings.Join(out, ",")
	}
	web := desired("web", "nginx:1.14")
	upgrading := live(web, "upgrading")
	upgrading.LinkedServices = map[string]any{}
	p := planOne(t, web, upgrading, Options{Upgrade: true})
	if kinds(p) != "await" || p.Steps[0].State != "upgraded" || len(p.Notes) != 1 || !strings.Contains(p.Notes[0], "upgrade --confirm web") {
		t.Errorf("upgrading, same digests: steps %s (await state %q), notes %v", kinds(p), p.Steps[0].State, p.Notes)
	}
	if p := planOne(t, web, upgrading, Options{Upgrade: true, ConfirmUpgrade: true}); kinds(p) != "await,confirm" {
		t.Errorf("upgrading with -c: steps %s", kinds(p))
	}
	activating := live(web, "activating")
	activating.LinkedServices = map[string]any{}
	if p := planOne(t, web, activating, Options{WaitHealthy: true}); kinds(p) != "await,wait-healthy" || len(p.Notes) != 0 {
		t.Errorf("activating with --wait-healthy: steps %s, notes %v", kinds(p), p.Notes)
	}
	registering := live(web, "registering")
	registering.LinkedServices = map[string]any{}
	if p := planOne(t, web, registering, Options{}); kinds(p) != "await,activate" {
		t.Errorf("registering: steps %s", kinds(p))
	}
}
