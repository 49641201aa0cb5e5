// Package reportjson measures encoding/json against github.com/goccy/go-json on a
// report of about 10 MB made of sciadapt's own report types, to decide which one
// writes reports (issue 16). It is a module of its own so that go-json is a
// requirement of this benchmark only, not of sciadapt.
//
//	cd bench/reportjson
//	go test -run '^$' -bench . -benchmem -count 10 | tee new.txt
//	benchstat -col /enc new.txt
//
// Results and the decision: RESULTS.md.
package reportjson
