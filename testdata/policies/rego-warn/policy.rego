# Conftest-style warn in a custom namespace (see .camlint.hcl).
package camlint.estate

import rego.v1

# By device name: no rule id, so it is reported as rego:camlint.estate.warn.
warn contains {"msg": sprintf("%s: camera on visitor wifi", [d.name]), "device": d.name} if {
	some d in input.devices
	d.is_camera
	some n in d.networks
	startswith(n, "visitor")
}

# A network alone: points at the network's declaration.
warn contains {"msg": sprintf("%s overlaps the visitor range", [n.name]), "network": n, "rule": "visitor-range-in-use"} if {
	some n in input.networks
	some c in n.cidrs
	net.cidr_intersects(c, "10.30.0.0/16")
}
