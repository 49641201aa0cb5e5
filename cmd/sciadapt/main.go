// Command sciadapt adapts frozen scientific models to new domains by training a
// small part of them. Run "sciadapt --help" for the commands.
package main

import (
	"os"

	"github.com/sciadapt/sciadapt/autodiff/openblas"
	"github.com/sciadapt/sciadapt/internal/cli"
)

func main() {
	openblas.Use()
	os.Exit(cli.Main(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}
