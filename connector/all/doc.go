// Package all assembles the registry of every built-in connector.
package all
