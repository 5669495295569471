// Package nexmark is the 'nexmark' connector: an in-process source of the Nexmark benchmark's
// person, auction and bid events, built on package github.com/floedb/floe/nexmark.
package nexmark
