package main

import rego.v1

# Conftest would run deny_restricted; camlint evaluates deny, violation and
# warn only, and says so instead of skipping the file.
deny_restricted contains msg if {
	some d in input.devices
	d.restricted
	msg := d.name
}
