# Conftest-style deny: restricted devices in the operations range.
package main

import rego.v1

ops_range := "10.20.0.0/16"

deny contains result if {
	some d in input.devices
	d.restricted
	some a in d.attachments
	some n in input.networks
	n.name == a.network
	some c in n.cidrs
	net.cidr_contains(ops_range, c)
	result := {
		"msg": sprintf("%s (%s) is in the operations range (%s)", [d.name, d.vendor_name, c]),
		"device": d,
		"network": n.name,
		"rule": "restricted-in-ops-range",
	}
}

# A string result: it points at the first `deny` head above (line 8).
deny contains msg if {
	input.summary.restricted > 0
	msg := sprintf("%d restricted device(s) in this estate", [input.summary.restricted])
}
