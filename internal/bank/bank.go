// Package bank embeds the bundled question bank.
package bank

import _ "embed"

//go:embed django.yaml
var django []byte

// Name is the source name of the bundled bank, as imports record it.
const Name = "builtin:django.yaml"

// Django returns the bundled Django and Python web bank, as YAML.
func Django() []byte { return django }
