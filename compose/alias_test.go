package compose

import "testing"

func TestRecursiveAliasIsAnErrorNotExpanded(t *testing.T) {
	ce := mustFail(t, map[string]string{"docker-compose.yml": "base: &b\n  image: x\n  labels: *b\n"}, Options{})
	requireDiag(t, ce.Problems, "docker-compose.yml:3:11", "base.labels", "recursive alias *b")
	if _, bomb := findDiag(ce.Problems, "expands to more than"); bomb {
		t.Fatal("the recursive alias was expanded up to the node cap")
	}
}

func TestRecursiveMergeKeyIsAnError(t *testing.T) {
	ce := mustFail(t, map[string]string{"docker-compose.yml": "base: &b\n  image: x\n  <<: *b\n"}, Options{})
	requireDiag(t, ce.Problems, "docker-compose.yml:3:7", "base", "recursive alias *b")
	if _, bomb := findDiag(ce.Problems, "expands to more than"); bomb {
		t.Fatal("the recursive merge was expanded up to the node cap")
	}
}

func TestRecursiveAliasInMergeListIsAnError(t *testing.T) {
	ce := mustFail(t, map[string]string{"docker-compose.yml": "x: &x {image: y}\nbase: &b\n  image: x\n  <<: [*x, *b]\n"}, Options{})
	requireDiag(t, ce.Problems, "docker-compose.yml:4:12", "recursive alias *b")
}

func TestRepeatedNonRecursiveAliasStillWorks(t *testing.T) {
	p := mustLoad(t, map[string]string{"docker-compose.yml": "a: &a\n  image: x\n  labels: &l {k: v}\nb:\n  <<: *a\n  labels: *l\nc:\n  <<: *a\n"}, Options{})
	if got := svc(t, p, "c").Compose.Labels["k"]; got != "v" {
		t.Fatalf("c label k = %q", got)
	}
	if got := svc(t, p, "b").Compose.Labels["k"]; got != "v" {
		t.Fatalf("b label k = %q", got)
	}
}
