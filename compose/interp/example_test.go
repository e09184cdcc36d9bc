package interp_test

import (
	"fmt"

	"github.com/rancher-compose-ng/rancher-compose/compose/interp"
)

func ExampleSubstitute() {
	env := map[string]string{"TAG": "1.2"}
	lookup := func(name string) (string, bool) { v, ok := env[name]; return v, ok }
	out, _ := interp.Substitute("registry/app:${TAG:-latest} costs $$5", lookup)
	fmt.Println(out)
	_, err := interp.Substitute("echo 5$", lookup)
	fmt.Println(err)
	// Output:
	// registry/app:1.2 costs $5
	// invalid interpolation format in "echo 5$" at character 7: a '$' at the end: expected a variable name or '{' after it (write '$$' for a literal '$')
}

func ExampleExpand() {
	res, _ := interp.Expand("${REGISTRY}/web:${TAG:-dev} ${stack_name}", interp.Options{
		Lookup: func(string) (string, bool) { return "", false },
		Keep:   func(name string) bool { return name == "stack_name" },
	})
	fmt.Printf("%q\n", res.Value)
	fmt.Println("warn about:", res.Unset())
	// Output:
	// "/web:dev ${stack_name}"
	// warn about: [REGISTRY]
}
