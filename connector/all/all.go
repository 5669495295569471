package all

import (
	"io"
	"os"

	"github.com/floedb/floe/connector"
	"github.com/floedb/floe/connector/blackhole"
	"github.com/floedb/floe/connector/datagen"
	"github.com/floedb/floe/connector/filesystem"
	"github.com/floedb/floe/connector/nexmark"
	"github.com/floedb/floe/connector/print"
)

// Factories returns a fresh factory of every built-in connector; print writes to stdout and
// stderr.
func Factories(stdout, stderr io.Writer) []*connector.Factory {
	return []*connector.Factory{
		blackhole.Factory(),
		datagen.Factory(),
		filesystem.Factory(),
		nexmark.Factory(),
		print.Factory(stdout, stderr),
	}
}

// Registry returns a registry of every built-in connector, with print writing to the
// process's standard output and error.
func Registry() *connector.Registry { return RegistryWith(os.Stdout, os.Stderr) }

// RegistryWith returns a registry of every built-in connector, with print writing to stdout
// and stderr.
func RegistryWith(stdout, stderr io.Writer) *connector.Registry {
	return connector.NewRegistry(Factories(stdout, stderr)...)
}
