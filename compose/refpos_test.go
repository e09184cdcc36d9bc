package compose

import "testing"

func TestBlockScalarReferencePositions(t *testing.T) {
	p := mustLoad(t, map[string]string{"docker-compose.yml": "web:\n  image: nginx\n  command: |\n    echo hi\n      ${A} and $B\n" +
		"  entrypoint: >-\n    run\n\n    --flag ${C}\n  labels:\n    x: |2\n        more\n      ${D}\n"}, Options{Environ: []string{"A=1", "B=2", "C=3", "D=4"}})
	want := map[string]Pos{
		"A": {File: "docker-compose.yml", Line: 5, Col: 7},
		"B": {File: "docker-compose.yml", Line: 5, Col: 16},
		"C": {File: "docker-compose.yml", Line: 9, Col: 12},
		"D": {File: "docker-compose.yml", Line: 13, Col: 7},
	}
	for _, v := range p.Variables {
		if len(v.Uses) != 1 || v.Uses[0] != want[v.Name] {
			t.Errorf("%s used at %v, want %v", v.Name, v.Uses, want[v.Name])
		}
	}
	if len(p.Variables) != len(want) {
		t.Errorf("variables %v", p.Variables)
	}
}

func TestBlockScalarSyntaxErrorPosition(t *testing.T) {
	ce := mustFail(t, map[string]string{"docker-compose.yml": "web:\n  image: nginx\n  command: |\n    sh -c\n    'x ${A'\n"}, Options{})
	requireDiag(t, ce.Problems, "docker-compose.yml:5:11", "web.command", "invalid interpolation")
}
