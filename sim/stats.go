package sim

// stats counts API requests since start or the last reset (GET /_sim/stats).
type stats struct {
	Requests  int            `json:"requests"`
	Mutations int            `json:"mutations"`
	ByMethod  map[string]int `json:"byMethod"`
	ByStatus  map[string]int `json:"byStatus"`
	Injected  int            `json:"injectedErrors"`
}

func (st *stats) count(method string, mutating bool) {
	st.Requests++
	if mutating {
		st.Mutations++
	}
	if st.ByMethod == nil {
		st.ByMethod = map[string]int{}
	}
	st.ByMethod[method]++
}

func (st *stats) status(code int) {
	if st.ByStatus == nil {
		st.ByStatus = map[string]int{}
	}
	st.ByStatus[itoa(int64(code))]++
}

// Stats is a snapshot of the request counters.
type Stats struct {
	// Requests counts every API request (not /_sim/ nor /ping).
	Requests int `json:"requests"`
	// Mutations counts POST/PUT/DELETE requests that may change state (transform and exportconfig excluded).
	Mutations int `json:"mutations"`
	// ByMethod counts requests per HTTP method.
	ByMethod map[string]int `json:"byMethod"`
	// ByStatus counts error answers (4xx/5xx) per status code.
	ByStatus map[string]int `json:"byStatus"`
	// InjectedErrors counts 5xx answers injected by the error-rate fault.
	InjectedErrors int `json:"injectedErrors"`
}

func (st *stats) snapshot() Stats {
	out := Stats{Requests: st.Requests, Mutations: st.Mutations, ByMethod: map[string]int{}, ByStatus: map[string]int{},
		InjectedErrors: st.Injected}
	for k, v := range st.ByMethod {
		out.ByMethod[k] = v
	}
	for k, v := range st.ByStatus {
		out.ByStatus[k] = v
	}
	return out
}
