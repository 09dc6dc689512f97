package main

deny[msg] {
	some d in input.devices
	d.restricted
	msg := d.name
}
